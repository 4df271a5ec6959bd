package verifiers

import (
	"context"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/internal/redistest"
)

// twoServers are two processes' worth of Redis connections over one Redis
// (one prefix): a revokes, b watches; b's announcements go to seen.
type twoServers struct {
	a, b *Redis
	seen chan Revocation
}

func newTwoServers(t *testing.T, srv *redistest.Server) twoServers {
	prefix := newTestRedis(t, srv, RedisOptions{}).opts.Prefix // a fresh prefix
	seen := make(chan Revocation, 16)
	return twoServers{
		a:    newTestRedis(t, srv, RedisOptions{Prefix: prefix}),
		b:    newTestRedis(t, srv, RedisOptions{Prefix: prefix, OnRevoke: func(rv Revocation) { seen <- rv }}),
		seen: seen,
	}
}

// awaitRevocation waits (bounded) for b to hear of a revocation of id.
func (s twoServers) awaitRevocation(t *testing.T, id string) {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case rv := <-s.seen:
			if !rv.Granted && rv.CredentialID == id {
				return
			}
		case <-timeout:
			t.Fatalf("no revocation of %q announced within 5s", id)
		}
	}
}

// TestRedisRevocationReachesOtherServer (H-03, I-04 across processes): two
// cached verifiers over two Redis connections stand in for two servers; a
// credential revoked through one is rejected by the other on its first
// lookup after the announcement arrives, though the other's cache held it.
func TestRedisRevocationReachesOtherServer(t *testing.T) {
	type setup func(t *testing.T, s twoServers) (a, b Verifier, cred Credential, revoke func() string)
	tests := []struct {
		kind   string
		reason Reason
		setup  setup
	}{
		{kind: "apikey", reason: ReasonRevoked, setup: apiKeyOnTwo},
		{kind: "jti", reason: ReasonRevoked, setup: jtiOnTwo},
		{kind: "session", reason: ReasonUnknown, setup: sessionOnTwo},
	}
	srv := redistest.Shared(t)
	for _, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			s := newTwoServers(t, srv)
			a, b, cred, revoke := tc.setup(t, s)
			ca, cb := mustCached(t, a, CacheConfig{}), mustCached(t, b, CacheConfig{})
			expectDecision(t, ca, cred, "")
			expectDecision(t, cb, cred, "")
			if cb.Stats().Hits == 0 {
				t.Fatal("b never served from its cache")
			}
			id := revoke()
			s.awaitRevocation(t, id)
			if _, err := cb.Verify(context.Background(), cred); ReasonOf(err) != tc.reason {
				t.Fatalf("b after the announcement: %v, want %s", err, tc.reason)
			}
			expectDecision(t, ca, cred, tc.reason)
		})
	}
}

func apiKeyOnTwo(t *testing.T, s twoServers) (Verifier, Verifier, Credential, func() string) {
	key, rec, err := NewAPIKey(context.Background(), s.a.KeyStore(), APIKeySpec{Env: "live", Subject: "svc"})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(r *Redis) Verifier {
		v, err := NewAPIKeyVerifier(r.KeyStore(), APIKeyOptions{Env: "live"})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	revoke := func() string {
		if err := s.a.KeyStore().Revoke(context.Background(), rec.ID); err != nil {
			t.Fatal(err)
		}
		return rec.ID
	}
	return mk(s.a), mk(s.b), Credential{Value: key}, revoke
}

func jtiOnTwo(t *testing.T, s twoServers) (Verifier, Verifier, Credential, func() string) {
	f := newJWTFix(t) // its fake clock starts at the real now, which the verifiers use
	mk := func(r *Redis) Verifier {
		return f.verifier(func(c *JWTConfig) { c.Denylist = r.Denylist(); c.Clock = time.Now })
	}
	revoke := func() string {
		if err := s.a.Denylist().Revoke(context.Background(), "jti-1", time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		return "jti-1"
	}
	return mk(s.a), mk(s.b), Credential{Value: f.good()}, revoke
}

func sessionOnTwo(t *testing.T, s twoServers) (Verifier, Verifier, Credential, func() string) {
	sess, err := s.a.SessionStore().Create(context.Background(), "bob", nil, time.Hour, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	mk := func(r *Redis) Verifier {
		v, err := NewSessionVerifier(r.SessionStore(), SessionOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	revoke := func() string {
		if err := s.a.SessionStore().Destroy(context.Background(), sess.ID); err != nil {
			t.Fatal(err)
		}
		return Fingerprint(sess.ID)
	}
	return mk(s.a), mk(s.b), Credential{Value: sess.ID}, revoke
}
