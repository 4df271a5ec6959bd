package audit

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/zishang520/socket.io/servers/socket/v3"

	"github.com/gatecrash/gatecrash/verifiers"
)

// startLaterServer starts a zishang socket.io server whose "/" takes a JWT
// from the auth payload or the handshake's Authorization header. With
// honourLater it has the fault of G-01 and G-02: a bearer token seen on any
// later request of the Engine.IO session (a polling POST, the websocket
// upgrade) is remembered and accepted too.
func startLaterServer(t *testing.T, key *verifiers.SigningKey, honourLater bool) string {
	t.Helper()
	v, err := verifiers.NewJWT(verifiers.JWTConfig{Keys: []verifiers.VerificationKey{key.VerificationKey()},
		Issuer: "gatecrash", Audiences: []string{"gatecrash"}})
	if err != nil {
		t.Fatal(err)
	}
	var later sync.Map // Engine.IO sid → token
	io := socket.NewServer(nil, nil)
	io.Sockets().Use(func(s *socket.Socket, next func(*socket.ExtendedError)) {
		tok, _ := s.Handshake().Auth["token"].(string)
		if tok == "" {
			tok = bearer(s.Request().Request().Header)
		}
		if l, ok := later.Load(s.Conn().Id()); ok && tok == "" && honourLater {
			tok = l.(string)
		}
		if _, err := v.Verify(context.Background(), verifiers.Credential{Method: verifiers.MethodJWT,
			Source: verifiers.SourceAuth, Value: tok}); err != nil {
			next(socket.NewExtendedError("unauthorized", map[string]any{"code": "missing"}))
			return
		}
		next(nil)
	})
	engine := io.ServeHandler(nil)
	mux := http.NewServeMux()
	mux.Handle("/socket.io/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sid := r.URL.Query().Get("sid"); sid != "" && bearer(r.Header) != "" {
			later.Store(sid, bearer(r.Header))
		}
		engine.ServeHTTP(w, r)
	}))
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { srv.Close(); io.Close(nil); v.Close() })
	return srv.URL
}

func bearer(h http.Header) string {
	tok, _ := strings.CutPrefix(h.Get("Authorization"), "Bearer ")
	return tok
}

// TestG01G02_LaterCredentialCaughtAndPassed: a server that honours a bearer
// token sent only on a later polling request (G-01) or only on the
// websocket upgrade (G-02) is found medium; the same server reading the
// handshake request alone, as socket.io does, passes both.
func TestG01G02_LaterCredentialCaughtAndPassed(t *testing.T) {
	key, err := verifiers.GenerateSigningKey(verifiers.AlgHS256)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		honourLater bool
		want        Verdict
	}{
		{name: "handshake only", want: VerdictPass},
		{name: "later requests honoured", honourLater: true, want: VerdictFail},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := fastConfig(startLaterServer(t, key, tc.honourLater))
			cfg.Material.Keys = []*verifiers.SigningKey{key}
			cfg.Kinds = []string{"jwt", "missing"}
			cfg.Groups = []Group{GroupTransport}
			r := audit(t, cfg)
			seen := map[string]bool{}
			for _, c := range r.Checks {
				if c.Case != "G-01" && c.Case != "G-02" {
					continue
				}
				seen[c.Case] = true
				if c.Verdict != tc.want || (c.Verdict == VerdictFail && c.Severity != SeverityMedium) {
					t.Errorf("%s: %s %s (%s), want %s", c.Case, c.Verdict, c.Severity, c.Finding, tc.want)
				}
			}
			if !seen["G-01"] || !seen["G-02"] {
				t.Errorf("G-01 and G-02 not both run:\n%s", summary(r))
			}
		})
	}
}
