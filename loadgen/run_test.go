package loadgen

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/results"
)

// sliceSink collects samples.
type sliceSink struct {
	mu sync.Mutex
	s  []results.Sample
}

func (k *sliceSink) Record(s results.Sample) {
	k.mu.Lock()
	k.s = append(k.s, s)
	k.mu.Unlock()
}

func (k *sliceSink) samples() []results.Sample {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]results.Sample(nil), k.s...)
}

// twoKinds is a good credential on / and /admin and a bad one on /admin.
func twoKinds(tr Transport) []Handshake {
	good := []byte(`{"token":"good:alice"}`)
	return []Handshake{
		{Transport: tr, Namespaces: []Connect{
			{Namespace: "/", Auth: good, Kind: "good", Expect: results.ExpectAccept, Subject: "alice"},
			{Namespace: "/admin", Auth: good, Kind: "good", Expect: results.ExpectAccept, Subject: "alice"},
		}},
		{Transport: tr, Namespaces: []Connect{
			{Namespace: "/admin", Auth: []byte(`{"token":"forged"}`), Kind: "bad",
				Expect: results.ExpectReject},
		}},
	}
}

func TestRunOpenModel(t *testing.T) {
	for _, tr := range []Transport{WebSocket, PollingUpgrade} {
		t.Run(tr.String(), func(t *testing.T) {
			f := newFakeServer(t, fakeGood)
			var sink sliceSink
			plan := Plan{URL: f.URL, Handshakes: twoKinds(tr), AckEvent: "whoami",
				Model: Open{Stages: []Stage{{From: 200, To: 200, Duration: 200 * time.Millisecond}}}}
			rep, err := Run(context.Background(), plan, &sink)
			if err != nil {
				t.Fatal(err)
			}
			// 40 starts alternate between the two handshakes: 20×2 + 20×1 samples.
			if rep.Scheduled != 40 || rep.Started != 40 || rep.Samples != 60 {
				t.Fatalf("report %+v", rep)
			}
			checkSamples(t, sink.samples())
		})
	}
}

func checkSamples(t *testing.T, got []results.Sample) {
	t.Helper()
	for _, s := range got {
		switch s.Kind {
		case "good":
			if s.Outcome != results.OutcomeAccepted || !s.IdentityChecked || !s.IdentityOK ||
				s.Phases[results.PhaseFirstAck] <= 0 {
				t.Fatalf("good sample %+v", s)
			}
		case "bad":
			if s.Outcome != results.OutcomeRejected || s.Code != "bad_signature" || !s.ConnFirst {
				t.Fatalf("bad sample %+v", s)
			}
		}
		service, total := s.Phases[results.PhaseService], s.Phases[results.PhaseTotal]
		if service <= 0 || total < service {
			t.Fatalf("phases %v", s.Phases)
		}
		if s.ConnFirst != (s.Phases[results.PhaseDial] > 0) {
			t.Fatalf("conn phases on a non-first sample: %+v", s)
		}
	}
}

func TestRunClosedModelIterations(t *testing.T) {
	f := newFakeServer(t, fakeGood)
	var sink sliceSink
	plan := Plan{URL: f.URL, Handshakes: twoKinds(WebSocket), Model: Closed{VUs: 3, Iterations: 25}}
	rep, err := Run(context.Background(), plan, &sink)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Started != 25 || len(sink.samples()) != int(rep.Samples) || rep.PeakSockets > 3 {
		t.Fatalf("report %+v, %d samples", rep, len(sink.samples()))
	}
}

func TestRunIdentityMismatch(t *testing.T) {
	f := newFakeServer(t, fakeWrongSub)
	var sink sliceSink
	plan := Plan{URL: f.URL, Handshakes: twoKinds(WebSocket)[:1], AckEvent: "whoami",
		Model: Closed{VUs: 1, Iterations: 1}}
	if _, err := Run(context.Background(), plan, &sink); err != nil {
		t.Fatal(err)
	}
	for _, s := range sink.samples() {
		if s.Outcome != results.OutcomeAccepted || !s.IdentityChecked || s.IdentityOK {
			t.Fatalf("sample %+v, want accepted with failed identity", s)
		}
	}
}

// TestRunSessionFailureSpreads checks that a session that dies on its first
// CONNECT gives every namespace of the handshake the same outcome.
func TestRunSessionFailureSpreads(t *testing.T) {
	f := newFakeServer(t, fakeCloseOnConnect)
	var sink sliceSink
	plan := Plan{URL: f.URL, Handshakes: twoKinds(WebSocket)[:1], Model: Closed{VUs: 1, Iterations: 1}}
	if _, err := Run(context.Background(), plan, &sink); err != nil {
		t.Fatal(err)
	}
	got := sink.samples()
	if len(got) != 2 || got[0].Outcome != results.OutcomeClosed || got[1].Outcome != results.OutcomeClosed {
		t.Fatalf("samples %+v", got)
	}
}

func TestRunCancelKeepsRecorded(t *testing.T) {
	f := newFakeServer(t, fakeGood)
	var sink sliceSink
	plan := Plan{URL: f.URL, Handshakes: twoKinds(WebSocket),
		Model: Open{Stages: []Stage{{From: 100, To: 100, Duration: time.Hour}}}}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	done := make(chan struct{})
	var rep Report
	go func() {
		rep, _ = Run(ctx, plan, &sink)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not end after cancellation")
	}
	if rep.Samples == 0 || int(rep.Samples) != len(sink.samples()) {
		t.Fatalf("report %+v, %d samples", rep, len(sink.samples()))
	}
}

func TestRunHold(t *testing.T) {
	f := newFakeServer(t, fakeGood)
	var sink sliceSink
	plan := Plan{URL: f.URL, Handshakes: twoKinds(WebSocket)[:1],
		SourceAddrs: []netip.Addr{netip.MustParseAddr("127.0.0.2"), netip.MustParseAddr("127.0.0.3")},
		Model: Hold{Sockets: 20, Ramp: 100 * time.Millisecond, Hold: 300 * time.Millisecond,
			EventEvery: 50 * time.Millisecond}}
	rep, err := Run(context.Background(), plan, &sink)
	if err != nil {
		t.Fatal(err)
	}
	if rep.PeakSockets != 20 || rep.HoldLost != 0 || rep.HoldEvents == 0 || rep.HoldAcks == 0 {
		t.Fatalf("report %+v", rep)
	}
	if rep.HoldAcks > rep.HoldEvents {
		t.Fatalf("more acks than events: %+v", rep)
	}
}

func TestRunPlanErrors(t *testing.T) {
	tests := []struct {
		name string
		plan Plan
		want error
	}{
		{name: "no handshakes", want: ErrPlan,
			plan: Plan{URL: "http://127.0.0.1:1", Model: Closed{VUs: 1, Iterations: 1}}},
		{name: "no model", want: ErrPlan,
			plan: Plan{URL: "http://127.0.0.1:1", Handshakes: twoKinds(WebSocket)}},
		{name: "bad scheme", plan: Plan{URL: "ftp://x", Handshakes: twoKinds(WebSocket),
			Model: Closed{VUs: 1, Iterations: 1}}, want: ErrPlan},
		{name: "too many sockets", plan: Plan{URL: "http://127.0.0.1:1", Handshakes: twoKinds(WebSocket),
			Model: Hold{Sockets: 1 << 30}}, want: ErrCapacity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Run(context.Background(), tt.plan, &sliceSink{}); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCapacity(t *testing.T) {
	tests := []struct {
		name      string
		sockets   int
		embedded  bool
		sources   int
		wantMax   int
		wantError bool
	}{
		{name: "fits alone", sockets: 10000, sources: 1, wantMax: 19936},
		{name: "embedded halves", sockets: 9000, embedded: true, sources: 1, wantMax: 9968},
		{name: "embedded over limit", sockets: 10000, embedded: true, sources: 1, wantMax: 9968,
			wantError: true},
		{name: "over ports of one source", sockets: 15000, sources: 1, wantMax: 19936, wantError: true},
		{name: "ports of two sources", sockets: 15000, sources: 2, wantMax: 19936},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// 20,000 files and a 10,000-port range make both limits reachable.
			c, err := capacity(tt.sockets, tt.embedded, tt.sources, 20000, 10000)
			if c.MaxSockets != tt.wantMax || tt.wantError != errors.Is(err, ErrCapacity) {
				t.Fatalf("capacity = %+v, %v", c, err)
			}
		})
	}
}

func TestCheckCapacityReadsLimit(t *testing.T) {
	soft, _, err := RaiseFileLimit()
	if err != nil {
		t.Fatal(err)
	}
	c, err := CheckCapacity(10, true, 1)
	if err != nil || c.FileLimit != soft || c.Ports <= 0 {
		t.Fatalf("CheckCapacity = %+v, %v (soft limit %d)", c, err, soft)
	}
}

// TestRunHTTPErrorKeepsPhases checks that a refused handshake is classified
// with its status on every namespace and keeps the phases it reached.
func TestRunHTTPErrorKeepsPhases(t *testing.T) {
	for _, tr := range []Transport{WebSocket, PollingUpgrade} {
		t.Run(tr.String(), func(t *testing.T) {
			f := newFakeServer(t, fakeHTTP500)
			var sink sliceSink
			plan := Plan{URL: f.URL, Handshakes: twoKinds(tr)[:1], Model: Closed{VUs: 1, Iterations: 1}}
			if _, err := Run(context.Background(), plan, &sink); err != nil {
				t.Fatal(err)
			}
			got := sink.samples()
			if len(got) != 2 {
				t.Fatalf("%d samples", len(got))
			}
			for _, s := range got {
				if s.Outcome != results.OutcomeHTTPError || s.Code != "500" {
					t.Fatalf("sample %+v", s)
				}
			}
			if got[0].Phases[results.PhaseDial] <= 0 || got[0].Phases[results.PhaseUpgrade] <= 0 {
				t.Fatalf("phases not kept: %v", got[0].Phases)
			}
		})
	}
}
