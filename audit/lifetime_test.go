package audit

import (
	"testing"
	"time"

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
