package audit

import (
	"context"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/interop"
	"github.com/gatecrash/gatecrash/verifiers"
)

const nodeSecret = "audit-node-secret-0123456789abcdefgh"

// startNode starts the Node socket.io peer in mode for one test.
func startNode(t *testing.T, mode interop.Mode) *interop.NodeServer {
	t.Helper()
	interop.RequireNode(t)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	srv, err := interop.StartNodeServer(ctx, interop.ServerOptions{Secret: nodeSecret, Mode: mode})
	if err != nil {
		t.Fatalf("StartNodeServer: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// TestNode_MainOnlyCaughtPerNamespaceClean is the proof on real
// Node socket.io v4 servers: with auth only through io.use (CASES.md V1,
// BL-01) every other namespace is open and found critical on every
// transport; with middleware on each namespace nothing is critical. Both
// accept a token of the trusted key with typ "refresh+jwt" (jsonwebtoken
// does not check typ): a policy weakness, high, not a forgery.
func TestNode_MainOnlyCaughtPerNamespaceClean(t *testing.T) {
	key, err := verifiers.NewHMACKey(verifiers.AlgHS256, "", []byte(nodeSecret))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		mode     interop.Mode
		critical []string // namespaces that must have a critical F-01
	}{
		{name: "main-only", mode: interop.ModeMainOnly, critical: []string{"/admin", "/api"}},
		{name: "per-namespace", mode: interop.ModeAll},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := startNode(t, tc.mode)
			cfg := fastConfig(srv.URL())
			cfg.Groups = []Group{GroupNamespaces, GroupProtocol, GroupTransport}
			cfg.Namespaces = referenceNamespaces()
			cfg.Material.Keys = []*verifiers.SigningKey{key}
			cfg.Kinds = []string{"jwt", "missing", "jwt-expired", "jwt-bad-signature", "jwt-alg-none",
				"jwt-wrong-audience", "jwt-unknown-kid", "jwt-wrong-type", "apikey-unknown", "session-unknown"}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			r, err := Run(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			for _, nsp := range tc.critical {
				checkTransports(t, r, "F-01", nsp, SeverityCritical)
			}
			if len(tc.critical) == 0 && r.Max() >= SeverityCritical {
				t.Errorf("critical findings on the per-namespace peer:\n%s", summary(r))
			}
			for _, g := range r.Groups() {
				if g.Severity == SeverityCritical && g.Namespace == "/" {
					t.Errorf("critical finding on the guarded \"/\":\n%s", summary(r))
				}
			}
			// jsonwebtoken checks neither typ nor kid against a single
			// secret: a policy weakness, ranked below a forgery.
			if !hasFinding(r, "high F-01 /", findPolicyAccepted) {
				t.Errorf("the refresh-typed token accepted on / not ranked high:\n%s", summary(r))
			}
			t.Logf("\n%s", summary(r))
		})
	}
}
