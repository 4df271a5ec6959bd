package runner_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/internal/redistest"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/scenarios"
)

// shortLag shortens the shipped revocation-lag scenario: its own Redis and
// prefix, 3 s of load at 40/s, 3 keys revoked at 1 s, and pubsub as given.
func shortLag(t *testing.T, url, name string, pubsub bool) *scenarios.Scenario {
	t.Helper()
	data, err := scenarios.Builtin("revocation-lag")
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	for old, repl := range map[string]string{
		"redis://127.0.0.1:6379/0":          url,
		`prefix: "gatecrash-lag:"`:          `prefix: "lagrun-` + name + `:"`,
		"pubsub: true":                      sprintf("pubsub: %v", pubsub),
		"{duration: 15s, rate: 100}":        "{duration: 3s, rate: 40}",
		"at: 5s":                            "at: 1s",
		"count: 20":                         "count: 3",
		"bound: 8s":                         "bound: 2500ms",
		"json: revocation-lag.results.json": "json: ''",
	} {
		if !strings.Contains(src, old) {
			t.Fatalf("the shipped scenario lacks %q", old)
		}
		src = strings.Replace(src, old, repl, 1)
	}
	return parse(t, src)
}

// TestRun_RevocationLag: the shipped scenario, shortened, against a real
// redis-server: the matrix stays right while every server and namespace
// rejects the 3 revoked keys; with pub/sub both servers reject well before
// the cache's 2 s TTL and disconnect the held sockets, without it the
// second server rejects only once its cache lets go and disconnects none.
func TestRun_RevocationLag(t *testing.T) {
	rs := redistest.Shared(t)
	const ttl = 2 * time.Second
	tests := []struct {
		name   string
		pubsub bool
	}{
		{name: "pubsub", pubsub: true},
		{name: "ttl-only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			out := runScenario(t, ctx, shortLag(t, rs.URL(), tt.name, tt.pubsub))
			checkMatrix(t, out.Result)
			l := out.Result.Revocation
			if l == nil || l.Revoked != 3 || len(l.Rows) != 4 {
				t.Fatalf("revocation = %+v, want 3 keys on 2 servers × 2 namespaces", l)
			}
			for _, row := range l.Rows {
				checkLagRow(t, row, ttl, !tt.pubsub && row.Server > 0)
			}
			decoded, err := results.Decode(mustJSON(t, out.Result))
			if err != nil || decoded.Revocation == nil || len(decoded.Revocation.Rows) != 4 {
				t.Errorf("results file round trip: %v", err)
			}
		})
	}
}

// checkLagRow: all 3 keys rejected, before the TTL unless ttlBound; all 3
// held sockets disconnected unless ttlBound, none then.
func checkLagRow(t *testing.T, row results.LagRow, ttl time.Duration, ttlBound bool) {
	t.Helper()
	if row.Rejection == nil || row.Rejection.Count != 3 || row.NotRejected != 0 {
		t.Fatalf("server %d %s: rejections %+v, %d not rejected; want 3 and 0",
			row.Server, row.Namespace, row.Rejection, row.NotRejected)
	}
	maxLag := time.Duration(row.Rejection.Max) * time.Microsecond
	t.Logf("server %d %s: rejection p50 %v max %v, disconnected %d, still connected %d", row.Server,
		row.Namespace, time.Duration(row.Rejection.P50)*time.Microsecond, maxLag,
		rowCount(row.Disconnect), row.NotDisconnected)
	switch {
	case !ttlBound && maxLag >= ttl:
		t.Errorf("server %d %s: rejected after %v, not before the TTL", row.Server, row.Namespace, maxLag)
	case ttlBound && maxLag < ttl/10:
		t.Errorf("server %d %s: rejected after %v without pub/sub: the cache should have served it",
			row.Server, row.Namespace, maxLag)
	case ttlBound && row.NotDisconnected != 3:
		t.Errorf("server %d %s: %d sockets left connected, want 3", row.Server, row.Namespace, row.NotDisconnected)
	case !ttlBound && rowCount(row.Disconnect) != 3:
		t.Errorf("server %d %s: %d sockets disconnected, want 3", row.Server, row.Namespace, rowCount(row.Disconnect))
	}
}

func rowCount(pd *results.PhaseData) int64 {
	if pd == nil {
		return 0
	}
	return pd.Count
}

func mustJSON(t *testing.T, r *results.Result) []byte {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
