package audit

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/zishang520/socket.io/servers/socket/v3"

	"github.com/gatecrash/gatecrash/server"
	"github.com/gatecrash/gatecrash/verifiers"
)

// startEIO3Server starts a zishang socket.io server with "/" and "/admin"
// guarded by a JWT in the auth payload; with eio3 it also speaks Engine.IO
// v3 (AllowEIO3), where the auth comes from the namespace query as
// []string values (CASES.md V8).
func startEIO3Server(t *testing.T, key *verifiers.SigningKey) string {
	t.Helper()
	v, err := verifiers.NewJWT(verifiers.JWTConfig{Keys: []verifiers.VerificationKey{key.VerificationKey()},
		Issuer: "gatecrash", Audiences: []string{"gatecrash"}})
	if err != nil {
		t.Fatal(err)
	}
	guard := func(s *socket.Socket, next func(*socket.ExtendedError)) {
		tok, _ := s.Handshake().Auth["token"].(string)
		if vs, ok := s.Handshake().Auth["token"].([]string); ok && len(vs) > 0 {
			tok = vs[0]
		}
		if _, err := v.Verify(context.Background(), verifiers.Credential{Method: verifiers.MethodJWT,
			Source: verifiers.SourceAuth, Value: tok}); err != nil {
			next(socket.NewExtendedError("unauthorized", nil))
			return
		}
		next(nil)
	}
	opts := socket.DefaultServerOptions()
	opts.SetAllowEIO3(true)
	io := socket.NewServer(nil, opts)
	io.Sockets().Use(guard)
	io.Of("/admin", nil).Use(guard)
	srv := httptest.NewServer(io.ServeHandler(nil))
	t.Cleanup(func() { srv.Close(); io.Close(nil); v.Close() })
	return srv.URL
}

// TestF12_EIO3CaughtAndPassed: a server that accepts the EIO=3 handshake is
// found medium (and its guard, reading the namespace query, still refuses a
// bad token there); the reference server answers 400 and passes every F-12
// check.
func TestF12_EIO3CaughtAndPassed(t *testing.T) {
	key, err := verifiers.GenerateSigningKey(verifiers.AlgHS256)
	if err != nil {
		t.Fatal(err)
	}
	ref := startReference(t, server.ProfileHardened)
	tests := []struct {
		name      string
		url       string
		handshake Verdict // the EIO=3 handshake check
	}{
		{name: "reference refuses EIO3", url: ref.Server.URL(), handshake: VerdictPass},
		{name: "EIO3 allowed", url: startEIO3Server(t, key), handshake: VerdictFail},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := fastConfig(tc.url)
			cfg.Namespaces = []Namespace{{Name: "/admin"}}
			cfg.Material.Keys = []*verifiers.SigningKey{key}
			cfg.Kinds = []string{"missing"}
			cfg.Groups, cfg.Transports = []Group{GroupProtocol}, []Transport{WebSocket}
			r := audit(t, cfg)
			n := 0
			for _, c := range r.Checks {
				if c.Case != "F-12" {
					continue
				}
				n++
				want, sev := VerdictPass, SeverityNone
				if c.Kind == "" { // the handshake itself
					want, sev = tc.handshake, map[Verdict]Severity{VerdictFail: SeverityMedium}[tc.handshake]
				}
				if c.Verdict != want || c.Severity != sev {
					t.Errorf("%s %s: %s %s (%s), want %s %s\n%+v", c.Namespace, c.Title, c.Verdict,
						c.Severity, c.Finding, want, sev, c.Evidence)
				}
			}
			if n != 3 {
				t.Errorf("%d F-12 checks, want the handshake and one per namespace\n%s", n, summary(r))
			}
		})
	}
}
