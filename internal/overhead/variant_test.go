package overhead

import (
	"slices"
	"testing"

	"github.com/gatecrash/gatecrash/scenarios"
	"github.com/gatecrash/gatecrash/verifiers"
)

func TestVariantScenario(t *testing.T) {
	base, err := DefaultBase()
	if err != nil {
		t.Fatal(err)
	}
	baseNS := slices.Clone(base.Namespaces)
	tests := []struct {
		name       string
		variant    Variant
		wantName   string
		wantPublic bool
		wantKind   string
		wantAlg    string
		wantCached []verifiers.Method
	}{
		{name: "baseline", variant: None, wantName: "none", wantPublic: true, wantKind: "missing",
			wantAlg: "HS256"},
		{name: "jwt uncached", variant: Variant{Method: verifiers.MethodJWT, Alg: "RS256"},
			wantName: "jwt-rs256/uncached", wantKind: "jwt", wantAlg: "RS256"},
		{name: "apikey cached", variant: Variant{Method: verifiers.MethodAPIKey, Cached: true},
			wantName: "apikey/cached", wantKind: "apikey", wantAlg: "HS256",
			wantCached: []verifiers.Method{verifiers.MethodAPIKey}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := tt.variant.Scenario(base)
			if got := tt.variant.Name(); got != tt.wantName {
				t.Errorf("Name() = %q, want %q", got, tt.wantName)
			}
			if len(sc.Namespaces) != 1 || sc.Namespaces[0].Public != tt.wantPublic {
				t.Errorf("namespaces = %+v, want one with public=%v", sc.Namespaces, tt.wantPublic)
			}
			if len(sc.Credentials.Mix) != 1 || sc.Credentials.Mix[0].Kind != tt.wantKind {
				t.Errorf("mix = %+v, want one %q", sc.Credentials.Mix, tt.wantKind)
			}
			if sc.Credentials.JWT.Alg != tt.wantAlg {
				t.Errorf("alg = %q, want %q", sc.Credentials.JWT.Alg, tt.wantAlg)
			}
			var cached []verifiers.Method
			for m, c := range sc.Server.Cache {
				if c.Enabled {
					cached = append(cached, m)
				}
			}
			if !slices.Equal(cached, tt.wantCached) {
				t.Errorf("cached methods = %v, want %v", cached, tt.wantCached)
			}
			if !slices.EqualFunc(base.Namespaces, baseNS, func(a, b scenarios.Namespace) bool {
				return a.Name == b.Name && a.Public == b.Public
			}) {
				t.Errorf("base scenario modified: %+v", base.Namespaces)
			}
		})
	}
}

func TestDefaultVariantsHaveBaselineFirst(t *testing.T) {
	vs := DefaultVariants()
	if vs[0] != None {
		t.Fatalf("first variant %v, want the baseline", vs[0].Name())
	}
	seen := map[string]bool{}
	for _, v := range vs {
		if seen[v.Name()] {
			t.Errorf("variant %s twice", v.Name())
		}
		seen[v.Name()] = true
	}
}
