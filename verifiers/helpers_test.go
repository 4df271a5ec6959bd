package verifiers

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is an injectable clock that only moves when told.
type fakeClock struct{ ns atomic.Int64 }

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	c.ns.Store(time.Now().Truncate(time.Second).UnixNano())
	return c
}

func (c *fakeClock) Now() time.Time            { return time.Unix(0, c.ns.Load()).UTC() }
func (c *fakeClock) Advance(d time.Duration)   { c.ns.Add(int64(d)) }
func (c *fakeClock) Set(t time.Time)           { c.ns.Store(t.UnixNano()) }
func (c *fakeClock) After(d time.Duration) int { return int(c.Now().Add(d).Unix()) }

// keyCache generates each algorithm's key once per test binary: RSA key
// generation is slow under -race.
var keyCache sync.Map

func testKey(t testing.TB, alg, name string) *SigningKey {
	t.Helper()
	if k, ok := keyCache.Load(alg + "/" + name); ok {
		return k.(*SigningKey)
	}
	k, err := GenerateSigningKey(alg)
	if err != nil {
		t.Fatalf("GenerateSigningKey(%s): %v", alg, err)
	}
	actual, _ := keyCache.LoadOrStore(alg+"/"+name, k)
	return actual.(*SigningKey)
}

// mode is one way of running a verifier: bare, cached, cached with negative
// caching. Every decision test runs in every mode (issue: cached and uncached
// alike).
type mode struct {
	name string
	wrap func(t *testing.T, v Verifier, clock func() time.Time) Verifier
}

var modes = []mode{
	{name: "uncached", wrap: func(_ *testing.T, v Verifier, _ func() time.Time) Verifier { return v }},
	{name: "cached", wrap: func(t *testing.T, v Verifier, clock func() time.Time) Verifier {
		return mustCached(t, v, CacheConfig{Clock: clock})
	}},
	{name: "cached-negative", wrap: func(t *testing.T, v Verifier, clock func() time.Time) Verifier {
		return mustCached(t, v, CacheConfig{Clock: clock, NegativeTTL: 2 * time.Second})
	}},
}

func mustCached(t *testing.T, v Verifier, cfg CacheConfig) *Cached {
	t.Helper()
	c, err := NewCached(v, cfg)
	if err != nil {
		t.Fatalf("NewCached: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// expectDecision verifies cred three times (twice back to back, then after
// the cache settled, CASES I-02) and wants the same reason each time; want ""
// means acceptance.
func expectDecision(t *testing.T, v Verifier, cred Credential, want Reason) Identity {
	t.Helper()
	var id Identity
	for i := 0; i < 3; i++ {
		if i == 2 {
			if c, ok := v.(*Cached); ok {
				c.Wait()
			}
		}
		var err error
		id, err = v.Verify(context.Background(), cred)
		if got := ReasonOf(err); got != want {
			t.Fatalf("attempt %d: reason %q, want %q (err: %v)", i+1, got, want, err)
		}
		if want != "" && !errors.Is(err, want) {
			t.Fatalf("attempt %d: errors.Is(err, %q) false: %v", i+1, want, err)
		}
		if err == nil && id.Subject == "" {
			t.Fatalf("attempt %d: accepted with an empty subject", i+1)
		}
	}
	return id
}

// revocationCase is a credential, its verifier and how to revoke it.
type revocationCase struct {
	kind   string
	reason Reason // the rejection after revocation
	setup  func(t *testing.T) (Verifier, Credential, func())
}

var revocationCases = []revocationCase{
	{kind: "apikey_revoked", reason: ReasonRevoked, setup: func(t *testing.T) (Verifier, Credential, func()) {
		f := newAPIKeyFix(t)
		revoke := func() { _ = f.store.Revoke(context.Background(), f.rec.ID) }
		return f.verifier(), Credential{Value: f.key}, revoke
	}},
	{kind: "jwt_jti_denylisted", reason: ReasonRevoked, setup: func(t *testing.T) (Verifier, Credential, func()) {
		f := newJWTFix(t)
		revoke := func() { f.deny.Revoke("jti-1", f.clock.Now().Add(time.Hour)) }
		return f.verifier(nil), Credential{Value: f.good()}, revoke
	}},
	{kind: "session_destroyed", reason: ReasonUnknown, setup: func(t *testing.T) (Verifier, Credential, func()) {
		f := newSessionFix(t)
		revoke := func() { _ = f.store.Destroy(context.Background(), f.sess.ID) }
		return f.verifier(), Credential{Value: f.sess.ID}, revoke
	}},
}
