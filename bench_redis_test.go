package gatecrash_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/gatecrash/gatecrash/internal/redistest"
	"github.com/gatecrash/gatecrash/verifiers"
)

// BenchmarkVerifyRedis measures one accepted verification per op against the
// Redis stores on a loopback redis-server: uncached (one round trip: HMGET
// for a key, the Touch script for a session) and as a cache hit (a session
// hit still runs Touch: sessions are rechecked on every use).
func BenchmarkVerifyRedis(b *testing.B) {
	srv := redistest.Start(b, redistest.Options{})
	r := openBenchRedis(b, srv, verifiers.RedisOptions{})
	ctx := context.Background()

	key, _, err := verifiers.NewAPIKey(ctx, r.KeyStore(), verifiers.APIKeySpec{Env: "live", Subject: "svc"})
	if err != nil {
		b.Fatal(err)
	}
	kv, err := verifiers.NewAPIKeyVerifier(r.KeyStore(), verifiers.APIKeyOptions{Env: "live"})
	if err != nil {
		b.Fatal(err)
	}
	sess, err := r.SessionStore().Create(ctx, "bob", []string{"user"}, time.Hour, time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	sv, err := verifiers.NewSessionVerifier(r.SessionStore(), verifiers.SessionOptions{})
	if err != nil {
		b.Fatal(err)
	}
	cases := []benchCase{
		{name: "apikey", verifier: kv, cred: verifiers.Credential{Method: verifiers.MethodAPIKey, Value: key}},
		{name: "session", verifier: sv, cred: verifiers.Credential{Method: verifiers.MethodSession, Value: sess.ID}},
	}
	for _, bc := range cases {
		b.Run(bc.name+"/uncached", func(b *testing.B) { benchVerifier(b, bc.verifier, bc.cred) })
		b.Run(bc.name+"/cached", func(b *testing.B) {
			c, err := verifiers.NewCached(bc.verifier, verifiers.CacheConfig{})
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			warm(b, c, bc.cred)
			benchVerifier(b, c, bc.cred)
			b.ReportMetric(c.Stats().HitRatio, "hit-ratio")
		})
	}
}

// BenchmarkRevocationLagRedis measures, per op, one revocation's lag: from
// the start of Revoke on server A to the first rejection by server B, whose
// cache held the key (two connections to one loopback Redis stand in for
// two servers). The key is revoked a random time after B cached it, so the
// TTL-only figure is the steady-state one. pubsub: B hears the announcement;
// ttl: B has no feed (RedisOptions.NoFeed) and rejects when its entry
// expires, MaxTTL after it was cached. Run with -benchtime 200x.
func BenchmarkRevocationLagRedis(b *testing.B) {
	const maxTTL = 100 * time.Millisecond
	srv := redistest.Start(b, redistest.Options{})
	for _, mode := range []struct {
		name   string
		noFeed bool
	}{{name: "pubsub"}, {name: "ttl", noFeed: true}} {
		b.Run(mode.name, func(b *testing.B) {
			prefix := "lag-" + mode.name + ":"
			a := openBenchRedis(b, srv, verifiers.RedisOptions{Prefix: prefix})
			rb := openBenchRedis(b, srv, verifiers.RedisOptions{Prefix: prefix, NoFeed: mode.noFeed})
			v, err := verifiers.NewAPIKeyVerifier(rb.KeyStore(), verifiers.APIKeyOptions{Env: "live"})
			if err != nil {
				b.Fatal(err)
			}
			c, err := verifiers.NewCached(v, verifiers.CacheConfig{MaxTTL: maxTTL})
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			lags := hdrhistogram.New(1, int64(time.Minute/time.Microsecond), 3)
			rng := rand.New(rand.NewPCG(7, 7))
			for b.Loop() {
				lag := revocationLag(b, a, c, time.Duration(rng.Int64N(int64(maxTTL))))
				_ = lags.RecordValue(lag.Microseconds())
			}
			for _, q := range []float64{50, 90, 99} {
				b.ReportMetric(float64(lags.ValueAtQuantile(q)), fmt.Sprintf("p%.0f-µs", q))
			}
			b.ReportMetric(float64(lags.Max()), "max-µs")
		})
	}
}

// revocationLag creates a key through a, caches it in c (server B), waits
// age, revokes it through a and spins on c until it rejects.
func revocationLag(b *testing.B, a *verifiers.Redis, c *verifiers.Cached, age time.Duration) time.Duration {
	ctx := context.Background()
	key, rec, err := verifiers.NewAPIKey(ctx, a.KeyStore(), verifiers.APIKeySpec{Env: "live", Subject: "svc"})
	if err != nil {
		b.Fatal(err)
	}
	cred := verifiers.Credential{Method: verifiers.MethodAPIKey, Value: key}
	if _, err := c.Verify(ctx, cred); err != nil {
		b.Fatal(err)
	}
	c.Wait()
	time.Sleep(age)
	start := time.Now()
	if err := a.KeyStore().Revoke(ctx, rec.ID); err != nil {
		b.Fatal(err)
	}
	for deadline := start.Add(10 * time.Second); time.Now().Before(deadline); runtime.Gosched() {
		if _, err := c.Verify(ctx, cred); err != nil {
			if verifiers.ReasonOf(err) != verifiers.ReasonRevoked {
				b.Fatalf("rejected with %v, want revoked", err)
			}
			return time.Since(start)
		}
	}
	b.Fatal("revoked key still accepted after 10s")
	return 0
}

func openBenchRedis(b *testing.B, srv *redistest.Server, opts verifiers.RedisOptions) *verifiers.Redis {
	r, err := verifiers.OpenRedis(srv.URL(), opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = r.Close() })
	if opts.NoFeed {
		return r
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.Ready(ctx); err != nil {
		b.Fatal(err)
	}
	return r
}
