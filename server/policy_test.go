package server

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatecrash/gatecrash/verifiers"
)

func TestPolicy_Parse(t *testing.T) {
	cases := []struct {
		name    string
		yaml    string
		wantErr string // substring; "" means valid
	}{
		{name: "default shape", yaml: `
namespaces:
  - name: /
    methods: [session, jwt]
  - name: /admin
    methods: [jwt, session]
    roles: [admin]
  - pattern: '^/tenant-\d+$'
    methods: [jwt]
    allow_query: true
`},
		{name: "public", yaml: "namespaces:\n  - name: /open\n    public: true\n"},
		{name: "unknown method",
			yaml:    "namespaces:\n  - name: /\n    methods: [jwt]\n  - name: /x\n    methods: [jwt, basic]\n",
			wantErr: "p.yaml:5: unknown method \"basic\""},
		{name: "no method", yaml: "namespaces:\n  - name: /\n", wantErr: "p.yaml:2: no method"},
		{name: "public with methods", yaml: "namespaces:\n  - name: /\n    public: true\n    methods: [jwt]\n",
			wantErr: "a public namespace takes no methods"},
		{name: "name without slash", yaml: "namespaces:\n  - name: admin\n    methods: [jwt]\n",
			wantErr: "p.yaml:2: namespace must start with /"},
		{name: "name and pattern", yaml: "namespaces:\n  - name: /a\n    pattern: a\n    methods: [jwt]\n",
			wantErr: "exactly one of name and pattern"},
		{name: "bad pattern", yaml: "namespaces:\n  - pattern: '('\n    methods: [jwt]\n",
			wantErr: "p.yaml:2:"},
		{name: "duplicate", yaml: "namespaces:\n  - name: /\n    methods: [jwt]\n  - name: /\n    methods: [jwt]\n",
			wantErr: "listed twice"},
		{name: "unknown field", yaml: "namespaces:\n  - name: /\n    methods: [jwt]\n    role: [admin]\n",
			wantErr: "p.yaml:4:"},
		{name: "empty", yaml: "", wantErr: "no namespace"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParsePolicy("p.yaml", []byte(tc.yaml))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.wantErr != "" && err == nil:
				t.Fatalf("no error, want %q", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Fatalf("error %q, want it to contain %q", err, tc.wantErr)
			case tc.wantErr != "" && !errors.Is(err, ErrPolicy):
				t.Fatalf("error %v does not wrap ErrPolicy", err)
			}
		})
	}
}

func TestPolicy_LoadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "policy.yaml")
	if err := os.WriteFile(path, []byte("namespaces:\n  - name: /\n    methods: [apikey]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := LoadPolicy(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Namespaces) != 1 || p.Namespaces[0].Methods[0] != verifiers.MethodAPIKey {
		t.Errorf("loaded %+v", p)
	}
	if _, err := LoadPolicy(path + ".missing"); !errors.Is(err, ErrPolicy) {
		t.Errorf("missing file: %v, want ErrPolicy", err)
	}
}

// TestConfig_NotMutated: New copies the caller's config and policy.
func TestConfig_NotMutated(t *testing.T) {
	p := DefaultPolicy()
	cfg := Config{Policy: p, Verifiers: fakeVerifiers()}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	p.Namespaces[1].Roles[0] = "nobody"
	if cfg.Limits != (Limits{}) || cfg.SessionCookie != "" {
		t.Errorf("New filled defaults into the caller's config: %+v", cfg)
	}
	if got := s.rules.Load().lookup("/admin").roles[0]; got != "admin" {
		t.Errorf("server policy changed with the caller's value: role %q", got)
	}
}

// TestConfig_MissingVerifier: a policy method without a verifier is refused.
func TestConfig_MissingVerifier(t *testing.T) {
	_, err := New(Config{Verifiers: map[verifiers.Method]verifiers.Verifier{}})
	if !errors.Is(err, ErrConfig) {
		t.Fatalf("New without verifiers: %v, want ErrConfig", err)
	}
}
