package verifiers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// jwksServer serves a switchable JWK set on loopback and counts fetches.
type jwksServer struct {
	*httptest.Server
	mu      sync.Mutex
	body    []byte
	fetches atomic.Int64
}

func newJWKSServer(t *testing.T, keys ...VerificationKey) *jwksServer {
	s := &jwksServer{}
	s.set(t, keys...)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		s.fetches.Add(1)
		s.mu.Lock()
		body := s.body
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) set(t *testing.T, keys ...VerificationKey) {
	body, err := MarshalJWKSet(keys...)
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.body = body
	s.mu.Unlock()
}

func jwksVerifier(t *testing.T, url string, refresh time.Duration) *JWT {
	v, err := NewJWT(JWTConfig{
		JWKS: &JWKSConfig{URL: url, Algorithms: []string{AlgRS256, AlgES256}, RefreshInterval: refresh,
			UnknownKIDInterval: time.Minute, UnknownKIDWait: 200 * time.Millisecond},
		Issuer: testIssuer, Audiences: []string{testAudience},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.Close)
	return v
}

func signed(t *testing.T, key *SigningKey, header map[string]any) string {
	f := &jwtFix{t: t, clock: newFakeClock()}
	return f.token(key, header, nil)
}

// TestJWKSUnknownKIDFloodIsBounded: a flood of unknown kids costs at most one
// fetch per UnknownKIDInterval (CASES B-11, J-05) and each is rejected.
func TestJWKSUnknownKIDFloodIsBounded(t *testing.T) {
	es := keyFromCache(AlgES256)
	srv := newJWKSServer(t, es.VerificationKey())
	v := jwksVerifier(t, srv.URL, time.Hour)
	if _, err := v.Verify(context.Background(), Credential{Value: signed(t, es, nil)}); err != nil {
		t.Fatalf("good token: %v", err)
	}
	for i := 0; i < 50; i++ {
		tok := signed(t, es, map[string]any{HeaderKID: randomToken(12)})
		if _, err := v.Verify(context.Background(), Credential{Value: tok}); ReasonOf(err) != ReasonUnknownKey {
			t.Fatalf("unknown kid %d: %v", i, err)
		}
	}
	if n := srv.fetches.Load(); n > 2 {
		t.Fatalf("%d JWKS fetches for a flood of unknown kids, want at most 2", n)
	}
}

// TestJWKSRemovedKeyRejectedCachedToo: once a refresh drops a key, its tokens
// are rejected, and a cached acceptance is not served (CASES H-07, I-04).
func TestJWKSRemovedKeyRejectedCachedToo(t *testing.T) {
	es, rs := keyFromCache(AlgES256), keyFromCache(AlgRS256)
	srv := newJWKSServer(t, es.VerificationKey(), rs.VerificationKey())
	v := jwksVerifier(t, srv.URL, 20*time.Millisecond)
	c := mustCached(t, v, CacheConfig{})
	cred := Credential{Value: signed(t, es, nil)}
	expectDecision(t, c, cred, "")

	srv.set(t, rs.VerificationKey())
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := v.Verify(context.Background(), cred)
		if ReasonOf(err) == ReasonUnknownKey {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("key still trusted after refreshes: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	expectDecision(t, c, cred, ReasonUnknownKey)
}

// TestJWKSKeyReferenceHeadersNeverFetched: jku/x5u pointing elsewhere are
// refused and never contacted (CASES B-14).
func TestJWKSKeyReferenceHeadersNeverFetched(t *testing.T) {
	es := keyFromCache(AlgES256)
	srv := newJWKSServer(t, es.VerificationKey())
	attacker := newJWKSServer(t, es.VerificationKey())
	v := jwksVerifier(t, srv.URL, time.Hour)
	for _, h := range []string{"jku", "x5u"} {
		tok := signed(t, es, map[string]any{h: attacker.URL})
		if _, err := v.Verify(context.Background(), Credential{Value: tok}); ReasonOf(err) != ReasonUnknownKey {
			t.Fatalf("%s: %v", h, err)
		}
	}
	if n := attacker.fetches.Load(); n != 0 {
		t.Fatalf("attacker's URL fetched %d times", n)
	}
}

// TestJWKSHMACKeyIsNotTrusted: an "oct" key in the set does not make HS256
// tokens acceptable when the allowlist has no HMAC algorithm (CASES §7).
func TestJWKSHMACKeyIsNotTrusted(t *testing.T) {
	hs := keyFromCache(AlgHS256)
	body, err := hs.MarshalJWK()
	if err != nil {
		t.Fatal(err)
	}
	srv := newJWKSServer(t, keyFromCache(AlgES256).VerificationKey())
	srv.mu.Lock()
	srv.body = []byte(`{"keys":[` + string(body) + `]}`)
	srv.mu.Unlock()
	v := jwksVerifier(t, srv.URL, time.Hour)
	_, err = v.Verify(context.Background(), Credential{Value: signed(t, hs, nil)})
	if ReasonOf(err) != ReasonBadAlgorithm {
		t.Fatalf("HS256 via JWKS oct key: %v", err)
	}
}

func TestJWKSConfigRefusesOneFamilyTwice(t *testing.T) {
	_, err := NewJWT(JWTConfig{JWKS: &JWKSConfig{URL: "http://127.0.0.1:1/", Algorithms: []string{AlgRS256, AlgPS256}},
		Issuer: testIssuer, Audiences: []string{testAudience}})
	if err == nil {
		t.Fatal("RS256 and PS256 accepted for one key set")
	}
}
