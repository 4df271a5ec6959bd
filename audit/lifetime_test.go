package audit

import (
	"context"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/internal/admin"
	"github.com/gatecrash/gatecrash/interop"
	"github.com/gatecrash/gatecrash/server"
	"github.com/gatecrash/gatecrash/verifiers"
)

// TestH01_ExpiryWhileConnected: the hardened reference server disconnects a
// socket when its JWT expires; the Node peer verifies the token only at
// CONNECT (BL-03), so its socket outlives the token and still answers
// events: high.
func TestH01_ExpiryWhileConnected(t *testing.T) {
	ref := startReference(t, server.ProfileHardened)
	node := startNode(t, interop.ModeAll)
	nodeKey, err := verifiers.NewHMACKey(verifiers.AlgHS256, "", []byte(nodeSecret))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		url  string
		key  *verifiers.SigningKey
		want Verdict
	}{
		{name: "hardened disconnects", url: ref.Server.URL(), key: ref.Material.Keys[0], want: VerdictPass},
		{name: "node keeps the socket", url: node.URL(), key: nodeKey, want: VerdictFail},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := fastConfig(tc.url)
			cfg.Namespaces = []Namespace{{Name: "/"}}
			cfg.Material.Keys = []*verifiers.SigningKey{tc.key}
			cfg.Groups, cfg.Transports = []Group{GroupLifetime}, []Transport{WebSocket}
			cfg.ExpiryTTL, cfg.ExpiryBound = 2*time.Second, 1500*time.Millisecond
			r := audit(t, cfg)
			if len(r.Checks) != 1 {
				t.Fatalf("%d checks, want one H-01", len(r.Checks))
			}
			c := r.Checks[0]
			if c.Verdict != tc.want || (c.Verdict == VerdictFail && c.Severity != SeverityHigh) {
				t.Errorf("H-01: %s %s (%s), want %s\n%+v", c.Verdict, c.Severity, c.Finding, tc.want, c.Evidence)
			}
		})
	}
}

// TestH03_RevocationWhileConnected: the hardened reference server ends a
// socket whose session is revoked through its admin API; a revocation that
// never reaches the live socket (the revoke call changes nothing the server
// acts on, as a server that checks credentials only at CONNECT) is high.
func TestH03_RevocationWhileConnected(t *testing.T) {
	ref := startReference(t, server.ProfileHardened)
	revoke := func(ctx context.Context, m verifiers.Method, id string) error {
		_, err := ref.Revoke(ctx, admin.Request{Kind: m, ID: id})
		return err
	}
	ignored := func(context.Context, verifiers.Method, string) error { return nil }
	tests := []struct {
		name   string
		revoke RevokeFunc
		want   Verdict
	}{
		{name: "revocation disconnects", revoke: revoke, want: VerdictPass},
		{name: "revocation never reaches the socket", revoke: ignored, want: VerdictFail},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := fastConfig(ref.Server.URL())
			cfg.Namespaces = []Namespace{{Name: "/"}}
			cfg.Material = ref.Material
			cfg.Groups, cfg.Transports = []Group{GroupLifetime}, []Transport{WebSocket}
			cfg.ExpiryTTL, cfg.ExpiryBound = time.Second, time.Second
			cfg.Revoke, cfg.RevokeBound = tc.revoke, time.Second
			r := audit(t, cfg)
			n := 0
			for _, c := range r.Checks {
				if c.Case != "H-03" {
					continue
				}
				n++
				if c.Verdict != tc.want || (c.Verdict == VerdictFail && c.Severity != SeverityHigh) {
					t.Errorf("H-03: %s %s (%s), want %s\n%+v", c.Verdict, c.Severity, c.Finding, tc.want, c.Evidence)
				}
			}
			if n != 1 {
				t.Errorf("%d H-03 checks, want one\n%s", n, summary(r))
			}
		})
	}
}
