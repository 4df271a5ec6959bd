package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/server/internal/rawio"
	"github.com/gatecrash/gatecrash/verifiers"
)

// realStack is the server with the real verifiers, each behind a cache
// whose inner verifier is instrumented.
type realStack struct {
	s        *Server
	key      *verifiers.SigningKey
	apiKey   string
	keys     *verifiers.MemoryKeyStore
	sessions *verifiers.MemorySessionStore
	userSess verifiers.Session
	admSess  verifiers.Session
}

const (
	testIssuer   = "https://issuer.test"
	testAudience = "gatecrash-test"
)

func newRealStack(t *testing.T, cfg Config) *realStack {
	t.Helper()
	ctx := context.Background()
	key, err := verifiers.NewHMACKey("HS256", "k1", []byte(strings.Repeat("s", 32)))
	if err != nil {
		t.Fatal(err)
	}
	jv, err := verifiers.NewJWT(verifiers.JWTConfig{
		Keys: []verifiers.VerificationKey{key.VerificationKey()}, Issuer: testIssuer,
		Audiences: []string{testAudience},
	})
	if err != nil {
		t.Fatal(err)
	}
	st := &realStack{key: key, keys: verifiers.NewMemoryKeyStore(), sessions: verifiers.NewMemorySessionStore(nil)}
	st.apiKey, _, err = verifiers.NewAPIKey(ctx, st.keys, verifiers.APIKeySpec{Env: "live", Subject: "svc"})
	if err != nil {
		t.Fatal(err)
	}
	av, err := verifiers.NewAPIKeyVerifier(st.keys, verifiers.APIKeyOptions{Env: "live"})
	if err != nil {
		t.Fatal(err)
	}
	sv, err := verifiers.NewSessionVerifier(st.sessions, verifiers.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st.userSess, _ = st.sessions.Create(ctx, "alice", []string{"user"}, time.Hour, time.Hour)
	st.admSess, _ = st.sessions.Create(ctx, "root", []string{"admin"}, time.Hour, time.Hour)
	cfg.Verifiers = map[verifiers.Method]verifiers.Verifier{}
	for m, v := range map[verifiers.Method]verifiers.Verifier{
		verifiers.MethodJWT: jv, verifiers.MethodAPIKey: av, verifiers.MethodSession: sv,
	} {
		c, err := verifiers.NewCached(Instrument(v), verifiers.CacheConfig{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
		cfg.Verifiers[m] = c
	}
	st.s = start(t, cfg)
	return st
}

func (st *realStack) token(t *testing.T, sub string, roles []string, ttl time.Duration) string {
	t.Helper()
	tok, err := st.key.Sign(verifiers.NewClaims(sub, testIssuer, []string{testAudience}, roles, time.Now(), ttl))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestRealVerifiers_Matrix is F-01 with the real JWT, API key and session
// verifiers (each cached): good and bad credentials of every method on every
// default namespace, both transports.
func TestRealVerifiers_Matrix(t *testing.T) {
	st := newRealStack(t, Config{})
	user := st.token(t, "alice", []string{"user"}, time.Hour)
	admin := st.token(t, "root", []string{"admin"}, time.Hour)
	other, _ := verifiers.NewHMACKey("HS256", "k1", []byte(strings.Repeat("x", 32)))
	forged, _ := other.Sign(verifiers.NewClaims("root", testIssuer, []string{testAudience},
		[]string{"admin"}, time.Now(), time.Hour))
	expired := st.token(t, "alice", nil, -time.Minute)
	cookie := func(id string) http.Header { return http.Header{"Cookie": {sessionCookie + "=" + id}} }
	cases := []struct {
		name   string
		auth   string
		header http.Header
		want   want
	}{
		{name: "no credential", want: want{"missing", "missing", "missing"}},
		{name: "jwt user", auth: `{"token":"` + user + `"}`, want: want{"ok", "forbidden", "ok"}},
		{name: "jwt admin", auth: `{"token":"` + admin + `"}`, want: want{"ok", "ok", "ok"}},
		{name: "B-07 jwt wrong key", auth: `{"token":"` + forged + `"}`,
			want: want{"bad_signature", "bad_signature", "bad_signature"}},
		{name: "C-01 jwt expired", auth: `{"token":"` + expired + `"}`, want: want{"expired", "expired", "expired"}},
		{name: "B-02 jwt two segments", auth: `{"token":"a.b"}`, want: want{"malformed", "malformed", "malformed"}},
		{name: "apikey good", auth: `{"apiKey":"` + st.apiKey + `"}`, want: want{"forbidden", "forbidden", "ok"}},
		{name: "D-04 apikey changed", auth: `{"apiKey":"` + st.apiKey + `x"}`,
			want: want{"forbidden", "forbidden", "!ok"}},
		{name: "session user cookie", header: cookie(st.userSess.ID), want: want{"ok", "forbidden", "missing"}},
		{name: "session admin cookie", header: cookie(st.admSess.ID), want: want{"ok", "ok", "missing"}},
		{name: "E-01 session unknown", header: cookie(strings.Repeat("A", 43)), want: want{"!ok", "!ok", "missing"}},
	}
	for _, tr := range transports {
		for _, tc := range cases {
			t.Run(string(tr)+"/"+tc.name, func(t *testing.T) {
				c := dial(t, st.s, tr, tc.header)
				for nsp, w := range map[string]string{"/": tc.want.root, "/admin": tc.want.admin, "/api": tc.want.api} {
					if w == "!ok" {
						a, err := c.Connect(testCtx(t), nsp, tc.auth)
						if err != nil || a.Accepted || a.Code == "" {
							t.Errorf("%s: %+v %v, want a rejection with a code", nsp, a, err)
						}
						continue
					}
					checkAnswer(t, c, nsp, tc.auth, w)
				}
			})
		}
	}
}

// TestRealVerifiers_E07_LogoutDisconnects: destroying a session and revoking
// its credential id disconnects the socket; reconnecting is refused.
func TestRealVerifiers_E07_LogoutDisconnects(t *testing.T) {
	st := newRealStack(t, Config{})
	ctx := testCtx(t)
	sess, _ := st.sessions.Create(ctx, "bob", []string{"admin"}, time.Hour, time.Hour)
	h := http.Header{"Cookie": {sessionCookie + "=" + sess.ID}}
	c := dial(t, st.s, rawio.WebSocket, h)
	var credID string
	if a, err := c.Connect(ctx, "/admin", ""); err != nil || !a.Accepted {
		t.Fatalf("connect: %+v %v", a, err)
	}
	st.s.revocable.mu.Lock()
	for id, set := range st.s.revocable.byID {
		for b := range set {
			if b.id.Subject == "bob" {
				credID = id
			}
		}
	}
	st.s.revocable.mu.Unlock()
	if err := st.sessions.Destroy(ctx, sess.ID); err != nil {
		t.Fatal(err)
	}
	if n := st.s.Revoke(credID); n != 1 {
		t.Fatalf("Revoke(%q) = %d, want 1", credID, n)
	}
	if err := c.WaitDisconnect(ctx, "/admin"); err != nil {
		t.Fatalf("no DISCONNECT: %v", err)
	}
	again := dial(t, st.s, rawio.WebSocket, h)
	if a, err := again.Connect(ctx, "/admin", ""); err != nil || a.Accepted {
		t.Fatalf("reconnect after logout: %+v %v, want a rejection", a, err)
	}
}

// TestRealVerifiers_CacheStateMetrics: the first verification of a token is a
// cache miss, the next ones hits, and the hit ratio gauge is exported.
func TestRealVerifiers_CacheStateMetrics(t *testing.T) {
	st := newRealStack(t, Config{MetricsAddr: "127.0.0.1:0"})
	tok := st.token(t, "alice", []string{"user"}, time.Hour)
	for i := range 3 {
		c := dial(t, st.s, rawio.WebSocket, nil)
		checkAnswer(t, c, "/", `{"token":"`+tok+`"}`, "ok")
		if i == 0 {
			st.s.cfg.Verifiers[verifiers.MethodJWT].(*verifiers.Cached).Wait()
		}
	}
	body := get(t, "http://"+st.s.MetricsAddr().String()+"/metrics", http.StatusOK)
	for _, want := range []string{
		`gatecrash_verify_seconds_count{cache="miss",method="jwt"} 1`,
		`gatecrash_verify_seconds_count{cache="hit",method="jwt"} 2`,
		`gatecrash_verifier_cache_hit_ratio{method="jwt"} 0.6666`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
