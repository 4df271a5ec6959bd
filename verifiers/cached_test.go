package verifiers

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// gatedVerifier holds each verification after the wrapped verifier decided
// and before it returns, so a test can revoke in between (CASES I-04).
type gatedVerifier struct {
	*APIKeyVerifier
	entered chan struct{}
	release chan struct{}
}

func (g *gatedVerifier) Verify(ctx context.Context, cred Credential) (Identity, error) {
	id, err := g.APIKeyVerifier.Verify(ctx, cred)
	g.entered <- struct{}{}
	<-g.release
	return id, err
}

func TestCacheRevocationDuringVerification(t *testing.T) { // I-04, D-02
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newAPIKeyFixOn(t, b)
		g := &gatedVerifier{APIKeyVerifier: f.verifier(), entered: make(chan struct{}, 16),
			release: make(chan struct{})}
		c := mustCached(t, g, CacheConfig{Clock: f.clock.Now})
		cred := Credential{Method: MethodAPIKey, Source: SourceAuth, Value: f.key}

		done := make(chan error, 1)
		go func() { _, err := c.Verify(context.Background(), cred); done <- err }()
		<-g.entered // the slow path has accepted and not yet stored
		if err := f.store.Revoke(context.Background(), f.rec.ID); err != nil {
			t.Fatal(err)
		}
		close(g.release)
		if err := <-done; err != nil {
			t.Fatalf("in-flight verification that started before the revocation: %v", err)
		}
		c.Wait() // the late Set has landed
		if _, err := c.Verify(context.Background(), cred); ReasonOf(err) != ReasonRevoked {
			t.Fatalf("after revocation: reason %q, want revoked", ReasonOf(err))
		}
	})
}

func TestCacheRevocationOfCachedEntry(t *testing.T) { // D-02 while cached, C-18, E-07
	forEachBackend(t, func(t *testing.T, b backend) {
		for _, tc := range revocationCases {
			t.Run(tc.kind+"_while_cached", func(t *testing.T) {
				v, cred, revoke := tc.setup(t, b)
				c := mustCached(t, v, CacheConfig{})
				expectDecision(t, c, cred, "")
				if c.Stats().Hits == 0 {
					t.Fatal("expected cache hits before revocation")
				}
				revoke()
				expectDecision(t, c, cred, tc.reason)
			})
		}
	})
}

func TestCacheNeverOutlivesExpiry(t *testing.T) { // I-01
	f := newJWTFix(t)
	c := mustCached(t, f.verifier(func(c *JWTConfig) { c.Leeway = 0 }), CacheConfig{Clock: f.clock.Now})
	cred := Credential{Value: f.token(f.key, nil, map[string]any{ClaimExpiresAt: f.clock.After(3 * time.Second)})}
	expectDecision(t, c, cred, "")
	f.clock.Advance(4 * time.Second)
	expectDecision(t, c, cred, ReasonExpired)
}

func TestCacheMaxTTLForcesReverification(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newAPIKeyFixOn(t, b)
		c := mustCached(t, f.verifier(), CacheConfig{Clock: f.clock.Now, MaxTTL: time.Minute})
		cred := Credential{Value: f.key}
		expectDecision(t, c, cred, "")
		f.clock.Advance(2 * time.Minute)
		expectDecision(t, c, cred, "")
		if s := c.Stats(); s.Stale == 0 {
			t.Fatalf("entry older than MaxTTL was reused: %+v", s)
		}
	})
}

func TestCacheNegativeEntryGivesWayToGrant(t *testing.T) { // I-06
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newAPIKeyFixOn(t, b)
		c := mustCached(t, f.verifier(), CacheConfig{Clock: f.clock.Now, NegativeTTL: MaxNegativeTTL})
		key, rec, err := NewAPIKey(context.Background(), NewMemoryKeyStore(), APIKeySpec{Env: "live", Subject: "late"})
		if err != nil {
			t.Fatal(err)
		}
		cred := Credential{Value: key}
		expectDecision(t, c, cred, ReasonUnknown)
		if c.Stats().NegativeHits == 0 {
			t.Fatal("negative caching configured but no negative hit")
		}
		if err := f.store.Put(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
		expectDecision(t, c, cred, "")
	})
}

func TestCacheNegativeEntryExpires(t *testing.T) { // I-06 bound
	f := newJWTFix(t)
	c := mustCached(t, f.verifier(nil), CacheConfig{Clock: f.clock.Now, NegativeTTL: time.Second})
	cred := Credential{Value: f.token(f.key, nil, map[string]any{ClaimNotBefore: f.clock.After(time.Minute)})}
	expectDecision(t, c, cred, ReasonNotYetValid) // not negatively cacheable: time fixes it
	f.clock.Advance(time.Minute)
	expectDecision(t, c, cred, "")
	if _, err := NewCached(f.verifier(nil), CacheConfig{NegativeTTL: time.Minute}); err == nil {
		t.Fatal("NegativeTTL above the bound accepted")
	}
}

func TestCacheFloodStaysBounded(t *testing.T) { // I-07
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newAPIKeyFixOn(t, b)
		const maxCost = 64 << 10
		c := mustCached(t, f.verifier(), CacheConfig{Clock: f.clock.Now, NegativeTTL: time.Second,
			MaxCost: maxCost, NumCounters: 20000})
		good := Credential{Value: f.key}
		for i := 0; i < 20; i++ {
			expectDecision(t, c, good, "")
		}
		other := NewMemoryKeyStore()
		for i := 0; i < 2000; i++ {
			bad, _, _ := NewAPIKey(context.Background(), other, APIKeySpec{Env: "live", Subject: "x"})
			if _, err := c.Verify(context.Background(), Credential{Value: bad}); ReasonOf(err) != ReasonUnknown {
				t.Fatalf("flood key %d: %v", i, err)
			}
		}
		c.Wait()
		before := c.Stats().Hits
		for i := 0; i < 20; i++ {
			expectDecision(t, c, good, "")
		}
		s := c.Stats()
		if s.Cost > maxCost {
			t.Fatalf("cost %d above budget %d", s.Cost, maxCost)
		}
		if s.Hits == before {
			t.Fatalf("good credential lost its entry to the flood: %+v", s)
		}
	})
}

func TestCacheBypassesOversize(t *testing.T) { // I-09
	f := newJWTFix(t)
	c := mustCached(t, f.verifier(nil), CacheConfig{})
	expectDecision(t, c, Credential{Value: strings.Repeat("a", 900<<10)}, ReasonTooLarge)
	c.Wait()
	if s := c.Stats(); s.Bypassed != 3 || s.Cost != 0 {
		t.Fatalf("oversize credential reached the cache: %+v", s)
	}
}

func TestCacheDroppedSetsFallBack(t *testing.T) { // I-10
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newAPIKeyFixOn(t, b)
		keys := make([]string, 200)
		for i := range keys {
			keys[i], _ = f.create(APIKeySpec{Env: "live", Subject: fmt.Sprintf("svc-%d", i)})
		}
		// MaxCost 1: every Set is accepted by the buffer and refused by the
		// policy, the worst case of "Set may be dropped".
		for _, cfg := range []CacheConfig{{}, {MaxCost: 1}} {
			c := mustCached(t, f.verifier(), cfg)
			var wg sync.WaitGroup
			errs := make(chan error, len(keys))
			for i, k := range keys {
				wg.Add(1)
				go func() {
					defer wg.Done()
					id, err := c.Verify(context.Background(), Credential{Value: k})
					if err != nil || id.Subject != fmt.Sprintf("svc-%d", i) {
						errs <- fmt.Errorf("key %d: %+v, %v", i, id, err)
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
		}
	})
}

func TestCacheKeepsPoliciesApart(t *testing.T) {
	f := newJWTFix(t)
	shared := f.good()
	a := mustCached(t, f.verifier(nil), CacheConfig{})
	b := mustCached(t, f.verifier(func(c *JWTConfig) { c.Audiences = []string{"other-service"} }), CacheConfig{})
	expectDecision(t, a, Credential{Value: shared}, "")
	expectDecision(t, b, Credential{Value: shared}, ReasonWrongAudience)

	// One cache, same value, another source: the entry is not reused.
	k := newAPIKeyFix(t)
	c := mustCached(t, k.verifier(), CacheConfig{})
	expectDecision(t, c, Credential{Source: SourceHeader, Value: k.key}, "")
	expectDecision(t, c, Credential{Source: SourceQuery, Value: k.key}, ReasonForbidden)
}

func TestCacheReturnsPrivateCopies(t *testing.T) {
	f := newAPIKeyFix(t)
	c := mustCached(t, f.verifier(), CacheConfig{})
	cred := Credential{Value: f.key}
	for i := 0; i < 3; i++ {
		id, err := c.Verify(context.Background(), cred)
		if err != nil {
			t.Fatal(err)
		}
		if id.Roles[0] != "user" || id.Namespaces[0] != "/" {
			t.Fatalf("attempt %d: cached identity was modified by a caller: %+v", i, id)
		}
		id.Roles[0], id.Namespaces[0] = "admin", "/admin"
		c.Wait()
	}
}

func TestCacheClosedFallsBack(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newAPIKeyFixOn(t, b)
		c := mustCached(t, f.verifier(), CacheConfig{})
		expectDecision(t, c, Credential{Value: f.key}, "")
		c.Close()
		_ = f.store.Revoke(context.Background(), f.rec.ID)
		expectDecision(t, c, Credential{Value: f.key}, ReasonRevoked)
	})
}

func TestCacheStats(t *testing.T) {
	f := newAPIKeyFix(t)
	c := mustCached(t, f.verifier(), CacheConfig{})
	expectDecision(t, c, Credential{Value: f.key}, "")
	s := c.Stats()
	if s.Hits+s.Misses != 3 || s.Misses < 1 || s.HitRatio <= 0 || s.Cost <= 0 || s.MaxCost != DefaultCacheMaxCost {
		t.Fatalf("stats = %+v", s)
	}
}

func TestCacheMetricsOption(t *testing.T) {
	f := newAPIKeyFix(t)
	c := mustCached(t, f.verifier(), CacheConfig{Metrics: true})
	expectDecision(t, c, Credential{Value: f.key}, "")
	if s := c.Stats(); s.KeysAdded == 0 {
		t.Fatalf("ristretto metrics on but no key added: %+v", s)
	}
}

// TestCacheHashCollisionIsAMiss: two tokens of one length and one tail share
// a cache slot (the key hash reads only the tail); the full comparison makes
// that a miss, never the other token's decision.
func TestCacheHashCollisionIsAMiss(t *testing.T) {
	f := newJWTFix(t)
	good := f.good()
	forged := flipMiddle(good[:len(good)-hashedSuffix]) + good[len(good)-hashedSuffix:]
	if len(forged) != len(good) || forged == good {
		t.Fatal("bad forgery setup")
	}
	for _, m := range modes[1:] {
		t.Run(m.name, func(t *testing.T) {
			c := m.wrap(t, f.verifier(nil), f.clock.Now)
			expectDecision(t, c, Credential{Value: good}, "")
			_, err := c.Verify(context.Background(), Credential{Value: forged})
			if err == nil {
				t.Fatal("forged token with the genuine tail accepted")
			}
			expectDecision(t, c, Credential{Value: forged}, ReasonOf(err))
			expectDecision(t, c, Credential{Value: good}, "")
		})
	}
}
