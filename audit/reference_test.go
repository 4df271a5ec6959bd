package audit

import (
	"strings"
	"testing"

	"github.com/gatecrash/gatecrash/server"
)

// TestReference_SeedGapFoundHardenedClean is the proof on the
// embedded reference server: the seed-gap profile's open /admin and
// unauthenticated /api are found on every transport and ranked critical; its
// bearer session id (G-06: "/" reached by a client with no credential) and its
// missing Origin check (G-08: a foreign page riding the session cookie) ranked
// high; the hardened profile has nothing above info.
func TestReference_SeedGapFoundHardenedClean(t *testing.T) {
	seed := startReference(t, server.ProfileSeedGap)
	hard := startReference(t, server.ProfileHardened)
	cases := []struct {
		name    string
		ref     string
		wantMax Severity
		want    []string // "SEVERITY case namespace" groups that must be found
	}{
		{name: "seed-gap", ref: seed.Server.URL(), wantMax: SeverityCritical, want: []string{
			"critical F-01 /admin", "critical C-16 /admin", "critical A-08 /admin",
			"critical F-01 /api", "high G-06 /", "high G-08 /",
		}},
		{name: "hardened", ref: hard.Server.URL(), wantMax: SeverityInfo},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := fastConfig(tc.ref)
			cfg.Groups = []Group{GroupNamespaces, GroupCredentials, GroupProtocol, GroupTransport}
			cfg.Namespaces = referenceNamespaces()
			cfg.Material = seed.Material
			if tc.name == "hardened" {
				cfg.Material = hard.Material
			}
			r := audit(t, cfg)
			if got := r.Max(); got != tc.wantMax {
				t.Errorf("highest severity %s, want %s\n%s", got, tc.wantMax, summary(r))
			}
			found := map[string]bool{}
			for _, g := range r.Groups() {
				found[g.Severity.String()+" "+g.Case+" "+g.Namespace] = true
			}
			for _, w := range tc.want {
				if !found[w] {
					t.Errorf("finding %q missing\n%s", w, summary(r))
				}
			}
			if tc.name == "seed-gap" {
				checkTransports(t, r, "F-01", "/admin", SeverityCritical)
				checkTransports(t, r, "F-01", "/api", SeverityCritical)
			}
		})
	}
}

// checkTransports fails t unless the case's finding on nsp at sev was seen
// on every transport.
func checkTransports(t *testing.T, r *Report, id, nsp string, sev Severity) {
	t.Helper()
	for _, g := range r.Groups() {
		if g.Case == id && g.Namespace == nsp && g.Severity == sev {
			if len(g.Transports) != len(AllTransports()) {
				t.Errorf("%s %s %s seen on %v, want every transport", sev, id, nsp, g.Transports)
			}
			return
		}
	}
	t.Errorf("%s %s %s not found", sev, id, nsp)
}

// summary renders r's text report for a failure message.
func summary(r *Report) string {
	var b strings.Builder
	_ = WriteText(&b, r)
	return b.String()
}
