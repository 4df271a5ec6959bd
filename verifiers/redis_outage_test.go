package verifiers

import (
	"context"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/internal/redistest"
)

// waitFor polls cond every few milliseconds, failing the test after limit.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, limit)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestRedisDownFailsClosedAndRecovers (J-04): with Redis killed, and with
// Redis hung, uncached verification rejects with unavailable within its
// context deadline, never accepts; after a restart it accepts again with
// nothing done by hand.
func TestRedisDownFailsClosedAndRecovers(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{Persist: true})
	r := newTestRedis(t, srv, RedisOptions{})
	key, _, err := NewAPIKey(context.Background(), r.KeyStore(), APIKeySpec{Env: "live", Subject: "svc"})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := NewAPIKeyVerifier(r.KeyStore(), APIKeyOptions{Env: "live"})
	cred := Credential{Value: key}
	const deadline = 300 * time.Millisecond
	verify := func() (time.Duration, error) {
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		defer cancel()
		start := time.Now()
		_, err := v.Verify(ctx, cred)
		return time.Since(start), err
	}
	if _, err := verify(); err != nil {
		t.Fatal(err)
	}
	outages := []struct {
		name       string
		fail, mend func() error
	}{
		{name: "hung", fail: srv.Pause, mend: srv.Resume},
		{name: "killed", fail: srv.Kill, mend: srv.Restart},
	}
	for _, o := range outages {
		t.Run(o.name, func(t *testing.T) {
			if err := o.fail(); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 3; i++ {
				took, err := verify()
				if ReasonOf(err) != ReasonUnavailable {
					t.Fatalf("attempt %d during outage: %v, want unavailable", i, err)
				}
				if took > deadline+time.Second { // a bound, not a speed: the deadline must hold
					t.Fatalf("attempt %d answered after %s, deadline %s", i, took, deadline)
				}
			}
			if err := o.mend(); err != nil {
				t.Fatal(err)
			}
			waitFor(t, 10*time.Second, "accept after recovery", func() bool { _, err := verify(); return err == nil })
		})
	}
	if h := r.Health(); h.CommandErrors == 0 || h.Outages == 0 {
		t.Fatalf("health shows no outage: %+v", h)
	}
}

// TestRedisOutageCachePolicy: during an outage of the revocation feed, a
// cached positive entry is served only within CacheConfig.OutageGrace; after
// the feed returns, entries cached before the outage are not reused (their
// generation is older), so a revocation missed meanwhile cannot survive.
func TestRedisOutageCachePolicy(t *testing.T) {
	tests := []struct {
		name    string
		grace   time.Duration
		advance time.Duration // time passed since the outage began
		served  bool
	}{
		{name: "default_grace_within", advance: DefaultOutageGrace / 2, served: true},
		{name: "default_grace_past", advance: 2 * DefaultOutageGrace, served: false},
		{name: "never", grace: -1, served: false},
		{name: "whole_life", grace: time.Hour, advance: time.Minute, served: true},
	}
	srv := redistest.Start(t, redistest.Options{Persist: true})
	type fix struct {
		r     *Redis
		clock *fakeClock
		c     *Cached
		cred  Credential
	}
	fixes := make([]fix, len(tests))
	for i, tc := range tests {
		clock := newFakeClock()
		r := newTestRedis(t, srv, RedisOptions{Clock: clock.Now})
		key, _, err := NewAPIKey(context.Background(), r.KeyStore(), APIKeySpec{Env: "live", Subject: "svc"})
		if err != nil {
			t.Fatal(err)
		}
		v, _ := NewAPIKeyVerifier(r.KeyStore(), APIKeyOptions{Env: "live", Clock: clock.Now})
		c := mustCached(t, v, CacheConfig{Clock: clock.Now, OutageGrace: tc.grace})
		fixes[i] = fix{r: r, clock: clock, c: c, cred: Credential{Value: key}}
		expectDecision(t, c, fixes[i].cred, "")
	}
	if err := srv.Kill(); err != nil {
		t.Fatal(err)
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := fixes[i]
			waitFor(t, 5*time.Second, "feed down", func() bool { return !f.r.Health().FeedUp })
			f.clock.Advance(tc.advance)
			_, err := f.c.Verify(context.Background(), f.cred)
			if tc.served && err != nil {
				t.Fatalf("entry not served within the grace: %v", err)
			}
			if !tc.served && ReasonOf(err) != ReasonUnavailable {
				t.Fatalf("past the grace: %v, want unavailable", err)
			}
		})
	}
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	f := fixes[len(fixes)-1]
	waitFor(t, 10*time.Second, "feed up", func() bool { return f.r.Health().FeedUp })
	stale := f.c.Stats().Stale
	expectDecision(t, f.c, f.cred, "")
	if f.c.Stats().Stale == stale {
		t.Fatal("an entry cached before the outage was reused after it")
	}
}
