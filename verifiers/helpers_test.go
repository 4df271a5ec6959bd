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
	setup  revocationSetup
}

// revocationSetup returns a verifier over b's stores, an accepted credential
// and the function that revokes it.
type revocationSetup func(t *testing.T, b backend) (Verifier, Credential, func())

var revocationCases = []revocationCase{
	{kind: "apikey_revoked", reason: ReasonRevoked, setup: apiKeyRevocation},
	{kind: "jwt_jti_denylisted", reason: ReasonRevoked, setup: jtiRevocation},
	{kind: "session_destroyed", reason: ReasonUnknown, setup: sessionRevocation},
}

func apiKeyRevocation(t *testing.T, b backend) (Verifier, Credential, func()) {
	f := newAPIKeyFixOn(t, b)
	revoke := func() {
		if err := f.store.Revoke(context.Background(), f.rec.ID); err != nil {
			t.Errorf("revoke: %v", err)
		}
	}
	return f.verifier(), Credential{Value: f.key}, revoke
}

func jtiRevocation(t *testing.T, b backend) (Verifier, Credential, func()) {
	f := newJWTFixOn(t, b)
	revoke := func() { f.deny.Revoke("jti-1", f.clock.Now().Add(time.Hour)) }
	return f.verifier(nil), Credential{Value: f.good()}, revoke
}

func sessionRevocation(t *testing.T, b backend) (Verifier, Credential, func()) {
	f := newSessionFixOn(t, b)
	revoke := func() {
		if err := f.store.Destroy(context.Background(), f.sess.ID); err != nil {
			t.Errorf("destroy: %v", err)
		}
	}
	return f.verifier(), Credential{Value: f.sess.ID}, revoke
}

// backend is one set of stores the case tables run against: each
// constructor returns an empty store for one test, on the test's clock.
type backend struct {
	name     string
	keys     func(t *testing.T, clock func() time.Time) KeyStore
	sessions func(t *testing.T, clock func() time.Time) SessionStore
	denylist func(t *testing.T, clock func() time.Time) revocableDenylist
}

// revocableDenylist is a Denylist a test can add to.
type revocableDenylist interface {
	Denylist
	Revoke(jti string, until time.Time)
}

var memoryBackend = backend{
	name:     "memory",
	keys:     func(*testing.T, func() time.Time) KeyStore { return NewMemoryKeyStore() },
	sessions: func(_ *testing.T, clock func() time.Time) SessionStore { return NewMemorySessionStore(clock) },
	denylist: func(_ *testing.T, clock func() time.Time) revocableDenylist { return NewMemoryDenylist(clock) },
}

// backends are every store implementation; redisBackend is in
// redis_helpers_test.go.
var backends = []backend{memoryBackend, redisBackend}

// forEachBackend runs body as a subtest per backend.
func forEachBackend(t *testing.T, body func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { body(t, b) })
	}
}
