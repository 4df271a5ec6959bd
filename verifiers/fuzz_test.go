package verifiers

import (
	"context"
	"testing"
	"time"
)

// fuzzPair runs one input through a verifier and its cached twin and checks
// the invariants every credential parser must keep: no panic, a Reason on
// every rejection, the same decision cached and uncached, and no input other
// than the genuine credential accepted (a mutation is never someone else).
func fuzzPair(t *testing.T, plain, cached Verifier, genuine, value string, src Source) {
	cred := Credential{Source: src, Value: value}
	id1, err1 := plain.Verify(context.Background(), cred)
	id2, err2 := cached.Verify(context.Background(), cred)
	if ReasonOf(err1) == ReasonInternal {
		t.Fatalf("rejection without a reason: %v", err1)
	}
	if ReasonOf(err1) != ReasonOf(err2) || id1.Subject != id2.Subject {
		t.Fatalf("cached %q/%q differs from uncached %q/%q", ReasonOf(err2), id2.Subject, ReasonOf(err1), id1.Subject)
	}
	if err1 == nil && value != genuine {
		t.Fatalf("accepted a credential other than the genuine one: %q", value)
	}
}

func FuzzJWTVerify(f *testing.F) {
	fix := &jwtFix{t: f, clock: newFakeClock(), key: keyFromCache(AlgES256)}
	fix.deny = NewMemoryDenylist(fix.clock.Now)
	cfg := fix.config()
	good := fix.good()
	plain, err := NewJWT(cfg)
	if err != nil {
		f.Fatal(err)
	}
	cached, err := NewCached(plain, CacheConfig{Clock: fix.clock.Now, NegativeTTL: time.Second})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(cached.Close)
	for _, seed := range []string{good, good + ".", flipTrailingBits(good), "e30.e30.", "", ".."} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, value string) {
		fuzzPair(t, plain, cached, good, value, SourceAuth)
	})
}

func FuzzAPIKeyVerify(f *testing.F) {
	store := NewMemoryKeyStore()
	good, _, err := NewAPIKey(context.Background(), store, APIKeySpec{Env: "live", Subject: "svc"})
	if err != nil {
		f.Fatal(err)
	}
	plain, _ := NewAPIKeyVerifier(store, APIKeyOptions{Env: "live"})
	cached, err := NewCached(plain, CacheConfig{NegativeTTL: time.Second})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(cached.Close)
	for _, seed := range []string{good, good[:len(good)-1] + "a", "gck_live__", "gck_test_" + good[9:], ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, value string) {
		fuzzPair(t, plain, cached, good, value, SourceHeader)
	})
}

func FuzzSessionVerify(f *testing.F) {
	store := NewMemorySessionStore(nil)
	sess, _ := store.Create(context.Background(), "bob", nil, time.Hour, time.Hour)
	plain, _ := NewSessionVerifier(store, SessionOptions{})
	cached, err := NewCached(plain, CacheConfig{NegativeTTL: time.Second})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(cached.Close)
	for _, seed := range []string{sess.ID, flipTrailingBits(sess.ID), flipMiddle(sess.ID), ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, value string) {
		fuzzPair(t, plain, cached, sess.ID, value, SourceCookie)
	})
}
