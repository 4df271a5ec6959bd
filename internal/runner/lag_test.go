package runner_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/gatecrash/gatecrash/internal/redistest"
	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/verifiers"
)

// TestRevocationLag: with pub/sub, every server and namespace rejects and
// disconnects every revoked key, well before the cache's TTL; without it
// (TTL only), the other servers reject only once their cached acceptance
// expires and never disconnect the held sockets, while the revoking server
// does both at once.
func TestRevocationLag(t *testing.T) {
	rs := redistest.Shared(t)
	const ttl = time.Second
	tests := []struct {
		name   string
		noFeed bool
	}{
		{name: "pubsub"},
		{name: "ttl-only", noFeed: true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			rep, err := runner.MeasureRevocationLag(ctx, runner.LagConfig{
				Redis: runner.RedisConfig{URL: rs.URL(), Options: verifiers.RedisOptions{
					Prefix: fmt.Sprintf("lag-%d:", i), NoFeed: tt.noFeed}},
				Namespaces: []string{"/api", "/api2"},
				Cache:      verifiers.CacheConfig{MaxTTL: ttl},
				Bound:      2 * time.Second,
			})
			if err != nil {
				t.Fatalf("MeasureRevocationLag: %v", err)
			}
			for s := range 2 {
				for _, nsp := range []string{"/api", "/api2"} {
					checkLag(t, rep, runner.LagKey{Server: s, Namespace: nsp}, ttl, tt.noFeed && s > 0)
				}
			}
		})
	}
}

// checkLag: both keys rejected; before the TTL unless ttlBound, about at
// it otherwise; both held sockets disconnected unless ttlBound.
func checkLag(t *testing.T, rep *runner.LagReport, key runner.LagKey, ttl time.Duration, ttlBound bool) {
	t.Helper()
	h := rep.Rejection[key]
	if h == nil || h.TotalCount() != 2 || rep.NotRejected[key] != 0 {
		t.Fatalf("%+v: rejections %v, not rejected %d; want 2 and 0", key, h, rep.NotRejected[key])
	}
	maxLag := time.Duration(h.Max()) * time.Microsecond
	switch {
	case !ttlBound && maxLag >= ttl:
		t.Errorf("%+v: rejected after %v, not before the cache TTL %v", key, maxLag, ttl)
	case ttlBound && maxLag < ttl/10:
		t.Errorf("%+v: rejected after %v without pub/sub: the cache should have served it", key, maxLag)
	}
	t.Logf("%+v: rejection lag max %v; disconnected %d (max %v), still connected %d", key, maxLag,
		countOf(rep, key), maxOf(rep.Disconnect[key]), rep.NotDisconnected[key])
	if ttlBound {
		if rep.NotDisconnected[key] != 2 {
			t.Errorf("%+v: %d sockets left connected, want 2 (no announcement reaches it)", key, rep.NotDisconnected[key])
		}
		return
	}
	if countOf(rep, key) != 2 {
		t.Errorf("%+v: %d sockets disconnected, want 2", key, countOf(rep, key))
	}
}

func countOf(rep *runner.LagReport, key runner.LagKey) int64 {
	if h := rep.Disconnect[key]; h != nil {
		return h.TotalCount()
	}
	return 0
}

func maxOf(h *hdr.Histogram) time.Duration {
	if h == nil {
		return 0
	}
	return time.Duration(h.Max()) * time.Microsecond
}

// TestRevocationLagFigures logs the lag's distribution over more keys, with
// pub/sub and with the TTL only, for the report. GATECRASH_LONG=1 runs it.
func TestRevocationLagFigures(t *testing.T) {
	if os.Getenv("GATECRASH_LONG") != "1" {
		t.Skip("set GATECRASH_LONG=1 to measure")
	}
	rs := redistest.Shared(t)
	for _, noFeed := range []bool{false, true} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		rep, err := runner.MeasureRevocationLag(ctx, runner.LagConfig{
			Redis: runner.RedisConfig{URL: rs.URL(), Options: verifiers.RedisOptions{
				Prefix: fmt.Sprintf("lagfig-%v:", noFeed), NoFeed: noFeed}},
			Namespaces: []string{"/api", "/api2"}, Credentials: 8, ProbeEvery: 2 * time.Millisecond,
			Cache: verifiers.CacheConfig{MaxTTL: 2 * time.Second}, Bound: 4 * time.Second,
		})
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []runner.LagKey{{Server: 0, Namespace: "/api"}, {Server: 0, Namespace: "/api2"},
			{Server: 1, Namespace: "/api"}, {Server: 1, Namespace: "/api2"}} {
			t.Logf("nofeed=%v %+v rejection %s disconnect %s not disconnected %d", noFeed, k,
				quantiles(rep.Rejection[k]), quantiles(rep.Disconnect[k]), rep.NotDisconnected[k])
		}
	}
}

func quantiles(h *hdr.Histogram) string {
	if h == nil {
		return "none"
	}
	q := func(p float64) time.Duration { return time.Duration(h.ValueAtQuantile(p)) * time.Microsecond }
	return fmt.Sprintf("n=%d p50=%v p99=%v max=%v", h.TotalCount(), q(50), q(99), maxOf(h))
}
