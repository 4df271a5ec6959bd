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
	return []Handshake{
		{Transport: tr, Namespaces: []Connect{
			{Namespace: "/", Auth: []byte(`{"token":"good:alice"}`), Kind: "good", Expect: results.ExpectAccept, Subject: "alice"},
			{Namespace: "/admin", Auth: []byte(`{"token":"good:alice"}`), Kind: "good", Expect: results.ExpectAccept, Subject: "alice"},
		}},
		{Transport: tr, Namespaces: []Connect{
			{Namespace: "/admin", Auth: []byte(`{"token":"forged"}`), Kind: "bad", Expect: results.ExpectReject},
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
		if s.Phases[results.PhaseService] <= 0 || s.Phases[results.PhaseTotal] < s.Phases[results.PhaseService] {
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
		Model:       Hold{Sockets: 20, Ramp: 100 * time.Millisecond, Hold: 300 * time.Millisecond, EventEvery: 50 * time.Millisecond}}
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
		{name: "no handshakes", plan: Plan{URL: "http://127.0.0.1:1", Model: Closed{VUs: 1, Iterations: 1}}, want: ErrPlan},
		{name: "no model", plan: Plan{URL: "http://127.0.0.1:1", Handshakes: twoKinds(WebSocket)}, want: ErrPlan},
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

func TestCheckCapacityEmbedded(t *testing.T) {
	if _, _, err := RaiseFileLimit(); err != nil {
		t.Fatal(err)
	}
	alone, err := CheckCapacity(10, false, 1)
	if err != nil {
		t.Fatal(err)
	}
	shared, _ := CheckCapacity(10, true, 1)
	if shared.FilesNeeded <= alone.FilesNeeded || shared.MaxSockets*2 > alone.MaxSockets+1 {
		t.Fatalf("embedded server not accounted: %+v vs %+v", shared, alone)
	}
	_, err = CheckCapacity(alone.MaxSockets, true, 100)
	if !errors.Is(err, ErrCapacity) {
		t.Fatalf("err = %v, want ErrCapacity", err)
	}
	if _, err := CheckCapacity(alone.Ports+1, false, 1); !errors.Is(err, ErrCapacity) && alone.MaxSockets > alone.Ports {
		t.Fatalf("ports: err = %v", err)
	}
}
