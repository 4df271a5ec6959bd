package runner_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/internal/admin"
	"github.com/gatecrash/gatecrash/internal/redistest"
	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/verifiers"
)

// samples collects a run's samples.
type samples struct {
	mu  sync.Mutex
	all []results.Sample
}

func (s *samples) Record(x results.Sample) {
	s.mu.Lock()
	s.all = append(s.all, x)
	s.mu.Unlock()
}

// syncBuffer is a bytes.Buffer safe for the audit log's concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// outageHandshakes mints, in ref's Redis, good and bad credentials of each
// Redis-backed method, one handshake each, per identity.
func outageHandshakes(t *testing.T, ref *runner.Reference, identities int) []loadgen.Handshake {
	t.Helper()
	ctx := testContext(t)
	var hs []loadgen.Handshake
	add := func(nsp, kind string, expect results.Expect, subject string, auth []byte) {
		hs = append(hs, loadgen.Handshake{Transport: loadgen.WebSocket, Namespaces: []loadgen.Connect{
			{Namespace: nsp, Auth: auth, Kind: kind, Expect: expect, Subject: subject}}})
	}
	for range identities {
		good, bad := mint(t, ref), mint(t, ref)
		for _, req := range []admin.Request{
			{Kind: verifiers.MethodAPIKey, ID: bad.keyID},
			{Kind: verifiers.MethodSession, ID: bad.sessionID},
			{Kind: verifiers.MethodJWT, ID: bad.jti},
		} {
			if _, err := ref.Revoke(ctx, req); err != nil {
				t.Fatalf("revoke %s: %v", req.Kind, err)
			}
		}
		add("/api", "apikey", results.ExpectAccept, "svc", authJSON("apiKey", good.apiKey))
		add("/api", "apikey-revoked", results.ExpectReject, "", authJSON("apiKey", bad.apiKey))
		add("/", "session", results.ExpectAccept, "alice", authJSON("sessionId", good.sessionID))
		add("/", "session-logged-out", results.ExpectReject, "", authJSON("sessionId", bad.sessionID))
		add("/", "jwt", results.ExpectAccept, "bob", authJSON("token", good.token))
		add("/", "jwt-revoked", results.ExpectReject, "", authJSON("token", bad.token))
	}
	return hs
}

// TestRedis_KilledMidRun (CASES: store failure): Redis is killed while the
// generator runs against the server and restarted a moment later. No bad
// credential is accepted, every CONNECT gets an answer (good ones rejected
// "unavailable" during the outage), the results are complete, the audit log
// and the metrics show the outage, and the server recovers on its own.
func TestRedis_KilledMidRun(t *testing.T) {
	rs := redistest.Start(t, redistest.Options{Persist: true})
	audit := &syncBuffer{}
	ref := startRedisRef(t, rs.URL(), "outage:", func(c *runner.ReferenceConfig) {
		c.Server.AuditLog = slog.New(slog.NewJSONHandler(audit, nil))
	})
	hs := outageHandshakes(t, ref, 4)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	chaos := make(chan error, 1)
	go func() { chaos <- killAndRestart(ctx, rs, 600*time.Millisecond, 900*time.Millisecond) }()
	sink := &samples{}
	rep, err := loadgen.Run(ctx, loadgen.Plan{
		URL: ref.Server.URL(), Model: loadgen.Open{Stages: []loadgen.Stage{{From: 100, To: 100, Duration: 2500 * time.Millisecond}}},
		Handshakes: hs, Timeout: 5 * time.Second, AckEvent: "whoami", EmbeddedServer: true,
	}, sink)
	if err != nil {
		t.Fatalf("loadgen.Run: %v", err)
	}
	if err := <-chaos; err != nil {
		t.Fatalf("kill and restart redis: %v", err)
	}
	checkOutageSamples(t, rep, sink.all)
	checkRecovered(t, ref, audit)
}

// killAndRestart kills Redis after wait and restarts it after down.
func killAndRestart(ctx context.Context, rs *redistest.Server, wait, down time.Duration) error {
	for _, step := range []struct {
		after time.Duration
		do    func() error
	}{{wait, rs.Kill}, {down, rs.Restart}} {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(step.after):
		}
		if err := step.do(); err != nil {
			return err
		}
	}
	return nil
}

// checkOutageSamples: one sample per started handshake, each answered; no
// bad credential accepted, no good one rejected but as unavailable; and the
// outage was seen.
func checkOutageSamples(t *testing.T, rep loadgen.Report, all []results.Sample) {
	t.Helper()
	if uint64(len(all)) != rep.Started || rep.Started == 0 || rep.Dropped != 0 {
		t.Fatalf("%d samples for %d started (%d dropped)", len(all), rep.Started, rep.Dropped)
	}
	unavailable := 0
	for _, s := range all {
		switch {
		case s.Outcome != results.OutcomeAccepted && s.Outcome != results.OutcomeRejected:
			t.Errorf("%s at %v: %s %q, want an answer", s.Kind, s.Offset, s.Outcome, s.Code)
		case s.Expect == results.ExpectReject && s.Outcome == results.OutcomeAccepted:
			t.Errorf("%s at %v: accepted", s.Kind, s.Offset)
		case s.Outcome == results.OutcomeAccepted && !s.IdentityOK:
			t.Errorf("%s at %v: accepted as someone else", s.Kind, s.Offset)
		case s.Expect == results.ExpectAccept && s.Outcome == results.OutcomeRejected:
			if s.Code != string(verifiers.ReasonUnavailable) {
				t.Errorf("%s at %v: rejected %q, want accepted or unavailable", s.Kind, s.Offset, s.Code)
			}
			unavailable++
		}
	}
	t.Logf("%d CONNECTs, %d good ones rejected unavailable during the outage", len(all), unavailable)
	if unavailable == 0 {
		t.Errorf("no CONNECT saw the outage: was Redis killed while the generator ran?")
	}
}

// checkRecovered: good credentials are accepted again without any action,
// the audit log has the outage's two lines and the metrics count it.
func checkRecovered(t *testing.T, ref *runner.Reference, audit *syncBuffer) {
	t.Helper()
	m := mint(t, ref)
	eventually(t, "accepted after restart", func() bool {
		c, _ := connect(t, ref, "/api", authJSON("apiKey", m.apiKey))
		return c != nil
	})
	eventually(t, "feed up in the audit log", func() bool {
		return strings.Contains(audit.String(), `"event":"redis_up"`)
	})
	if !strings.Contains(audit.String(), `"event":"redis_down"`) {
		t.Errorf("audit log lacks the outage:\n%s", audit.String())
	}
	res, err := http.Get("http://" + ref.Server.MetricsAddr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{"gatecrash_redis_feed_up 1\n", "gatecrash_redis_feed_outages_total 1\n"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", strings.TrimSpace(want))
		}
	}
}
