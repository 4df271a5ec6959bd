package audit

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/zishang520/socket.io/servers/socket/v3"

	"github.com/gatecrash/gatecrash/server"
	"github.com/gatecrash/gatecrash/verifiers"
)

// startConflictServer starts a zishang socket.io server whose "/" takes a
// JWT from the auth payload and from the handshake's Authorization header.
// Failing closed, it verifies every token presented and refuses the CONNECT
// if any is bad; with anyValid it has the fault of A-12: one good token is
// enough, whatever else came with it.
func startConflictServer(t *testing.T, key *verifiers.SigningKey, anyValid bool) string {
	t.Helper()
	v, err := verifiers.NewJWT(verifiers.JWTConfig{Keys: []verifiers.VerificationKey{key.VerificationKey()},
		Issuer: "gatecrash", Audiences: []string{"gatecrash"}})
	if err != nil {
		t.Fatal(err)
	}
	valid := func(tok string) bool {
		_, err := v.Verify(context.Background(), verifiers.Credential{Method: verifiers.MethodJWT,
			Source: verifiers.SourceAuth, Value: tok})
		return err == nil
	}
	io := socket.NewServer(nil, nil)
	io.Sockets().Use(func(s *socket.Socket, next func(*socket.ExtendedError)) {
		auth, _ := s.Handshake().Auth["token"].(string)
		var toks []string
		for _, tok := range []string{auth, bearer(s.Request().Request().Header)} {
			if tok != "" {
				toks = append(toks, tok)
			}
		}
		good, bad := 0, 0
		for _, tok := range toks {
			if valid(tok) {
				good++
			} else {
				bad++
			}
		}
		if good == 0 || (bad > 0 && !anyValid) {
			next(socket.NewExtendedError("unauthorized", map[string]any{"code": "invalid"}))
			return
		}
		next(nil)
	})
	srv := httptest.NewServer(io.ServeHandler(nil))
	t.Cleanup(func() { srv.Close(); io.Close(nil); v.Close() })
	return srv.URL
}

// TestA12_ConflictingCredentialsCaughtAndPassed: a server that lets one good
// token in whatever bad one came beside it is found high in both directions
// (good header + bad auth, bad header + good auth); the same server failing
// closed passes both.
func TestA12_ConflictingCredentialsCaughtAndPassed(t *testing.T) {
	key, err := verifiers.GenerateSigningKey(verifiers.AlgHS256)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		anyValid bool
		want     Verdict
	}{
		{name: "fails closed", want: VerdictPass},
		{name: "any valid token wins", anyValid: true, want: VerdictFail},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := fastConfig(startConflictServer(t, key, tc.anyValid))
			cfg.Material.Keys = []*verifiers.SigningKey{key}
			cfg.Kinds = []string{"jwt", "jwt-bad-signature", "missing"}
			cfg.Groups, cfg.Transports = []Group{GroupCredentials}, []Transport{WebSocket}
			r := audit(t, cfg)
			n := 0
			for _, c := range r.Checks {
				if c.Case != "A-12" {
					continue
				}
				n++
				if c.Verdict != tc.want || (c.Verdict == VerdictFail && c.Severity != SeverityHigh) {
					t.Errorf("%s: %s %s (%s), want %s", c.Title, c.Verdict, c.Severity, c.Finding, tc.want)
				}
			}
			if n != 2 {
				t.Errorf("%d A-12 checks, want both directions\n%s", n, summary(r))
			}
		})
	}
}

// TestA12_ReferenceFailsClosed: the hardened reference server refuses every
// conflicting pair the embedded material can make, D-09 (a good JWT beside
// a revoked API key) and E-09 (sessions) among them.
func TestA12_ReferenceFailsClosed(t *testing.T) {
	ref := startReference(t, server.ProfileHardened)
	cfg := fastConfig(ref.Server.URL())
	cfg.Material = ref.Material
	cfg.Namespaces = referenceNamespaces()
	cfg.Kinds = []string{"jwt", "apikey", "session", "jwt-bad-signature", "apikey-revoked",
		"session-unknown", "missing"}
	cfg.Groups, cfg.Transports = []Group{GroupCredentials}, []Transport{WebSocket}
	r := audit(t, cfg)
	refs := map[string]bool{}
	for _, c := range r.Checks {
		if c.Case != "A-12" {
			continue
		}
		for _, id := range c.Refs {
			refs[id] = refs[id] || c.Verdict == VerdictPass
		}
		if c.Verdict == VerdictFail {
			t.Errorf("%s %s: %s %s (%s)", c.Namespace, c.Title, c.Verdict, c.Severity, c.Finding)
		}
	}
	for _, id := range []string{"A-12", "D-09", "E-09"} {
		if !refs[id] {
			t.Errorf("no conflict check standing for %s passed\n%s", id, summary(r))
		}
	}
}

// TestG05_QueryCredentialsCaughtAndPassed: a reference server whose policy
// reads credentials from the query string (AllowQuery) is found medium for
// ?token= (G-05); the default policy refuses it. ?api_key= (D-07) passes on
// both, for the reference API-key verifier refuses query keys whatever the
// policy says.
func TestG05_QueryCredentialsCaughtAndPassed(t *testing.T) {
	open := server.DefaultPolicy()
	for i := range open.Namespaces {
		open.Namespaces[i].AllowQuery = true
	}
	tests := []struct {
		name   string
		policy server.Policy
		want   map[string]Verdict // by kind
	}{
		{name: "default policy", want: map[string]Verdict{"jwt": VerdictPass, "apikey": VerdictPass}},
		{name: "query allowed", policy: open, want: map[string]Verdict{"jwt": VerdictFail, "apikey": VerdictPass}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ref := startReferenceWith(t, server.Config{Profile: server.ProfileHardened, Policy: tc.policy})
			cfg := fastConfig(ref.Server.URL())
			cfg.Material = ref.Material
			cfg.Namespaces = []Namespace{{Name: "/api"}} // JWT and API keys; "/" takes no API key
			cfg.Kinds = []string{"jwt", "apikey", "missing"}
			cfg.Groups, cfg.Transports = []Group{GroupCredentials}, []Transport{WebSocket}
			r := audit(t, cfg)
			seen := map[string]bool{}
			for _, c := range r.Checks {
				if c.Case != "G-05" || c.Namespace != "/api" {
					continue
				}
				seen[c.Kind] = true
				want := tc.want[c.Kind]
				if c.Verdict != want || (c.Verdict == VerdictFail && c.Severity != SeverityMedium) {
					t.Errorf("%s: %s %s (%s), want %s", c.Kind, c.Verdict, c.Severity, c.Finding, want)
				}
			}
			if !seen["jwt"] || !seen["apikey"] {
				t.Errorf("G-05 not run for both ?token= and ?api_key=\n%s", summary(r))
			}
		})
	}
}
