package scenarios

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/verifiers"
)

func TestParseDefaults(t *testing.T) {
	s, err := Parse("s.yaml", []byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	if s.Target != nil || s.Server == nil || s.Server.Profile != ProfileHardened {
		t.Errorf("target %v server %+v: want the embedded hardened server", s.Target, s.Server)
	}
	for _, m := range []verifiers.Method{verifiers.MethodJWT, verifiers.MethodAPIKey, verifiers.MethodSession} {
		if c := s.Server.Cache[m]; c != (Cache{TTL: DefaultCacheTTL, Size: DefaultCacheSize}) {
			t.Errorf("cache %s = %+v, want disabled with default ttl and size", m, c)
		}
	}
	l := s.Load
	if l.Model != ModelOpen || l.Transport != TransportWebSocket || l.Timeout != DefaultTimeout ||
		l.AckEvent != DefaultAckEvent || l.Multiplex {
		t.Errorf("load = %+v", l)
	}
	c := s.Credentials
	if c.Identities != DefaultIdentities || c.Reuse != ReuseUniform || c.JWT.Alg != DefaultAlg ||
		c.JWT.Lifetime != DefaultLifetime {
		t.Errorf("credentials = %+v", c)
	}
	if e := c.Mix[0]; e.Label != "jwt" || e.Place != verifiers.SourceAuth || e.Weight != 1 {
		t.Errorf("mix entry = %+v", e)
	}
	if s.Namespaces[0].Weight != 1 {
		t.Errorf("namespace weight = %v, want 1", s.Namespaces[0].Weight)
	}
}

func TestParseFullScenario(t *testing.T) {
	src := `name: full
description: every field
target:
  url: https://127.0.0.1:8443
  path: /io/
  tls: {ca_file: ca.pem}
namespaces:
  - {name: /, public: true, weight: 2}
  - {name: /admin, methods: [jwt, session], roles: [admin]}
credentials:
  identities: 10
  reuse: zipf
  zipf_s: 1.5
  file: creds.jsonl
  jwt: {alg: RS256, key_file: key.pem, issuer: me, audience: you, lifetime: 1m}
  mix:
    - {name: admins, kind: jwt, roles: [admin], place: header, alg: ES256, weight: 0.5}
    - {kind: session, place: cookie, expect: {/admin: reject}}
    - {kind: jwt-expired}
load:
  model: closed
  vus: 4
  iterations: 100
  transport: polling
  timeout: 2s
  ack_event: ping
  multiplex: true
  source_addrs: [127.0.0.2, 127.0.0.3]
thresholds: ['p95(total) <= 1s', 'count(false_reject, ns=/admin, kind=admins) == 0']
outputs: {json: out.json}
`
	s, err := Parse("full.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if s.Target.URL != "https://127.0.0.1:8443" || s.Target.Path != "/io/" || s.Target.TLS.CAFile != "ca.pem" {
		t.Errorf("target = %+v", s.Target)
	}
	if s.Load.Model != ModelClosed || s.Load.VUs != 4 || s.Load.Iterations != 100 ||
		s.Load.Transport != TransportPolling || s.Load.Timeout != 2*time.Second || s.Load.AckEvent != "ping" {
		t.Errorf("load = %+v", s.Load)
	}
	want := []netip.Addr{netip.MustParseAddr("127.0.0.2"), netip.MustParseAddr("127.0.0.3")}
	if len(s.Load.SourceAddrs) != 2 || s.Load.SourceAddrs[0] != want[0] || s.Load.SourceAddrs[1] != want[1] {
		t.Errorf("source addrs = %v", s.Load.SourceAddrs)
	}
	if s.Credentials.ZipfS != 1.5 || s.Credentials.Mix[0].Label != "admins" || s.Credentials.Mix[0].Alg != "ES256" {
		t.Errorf("credentials = %+v", s.Credentials)
	}
	tests := []struct {
		ns    string
		entry int
		want  results.Expect
	}{
		{ns: "/", entry: 2, want: results.ExpectAccept},      // public takes anything
		{ns: "/admin", entry: 0, want: results.ExpectAccept}, // jwt with the role
		{ns: "/admin", entry: 1, want: results.ExpectReject}, // explicit override
		{ns: "/admin", entry: 2, want: results.ExpectReject}, // bad kind
		{ns: "/other", entry: 0, want: results.ExpectReject}, // undeclared: deny
	}
	for _, tt := range tests {
		if got := s.Expect(tt.ns, s.Credentials.Mix[tt.entry]); got != tt.want {
			t.Errorf("Expect(%s, %s) = %s, want %s", tt.ns, s.Credentials.Mix[tt.entry].Label, got, tt.want)
		}
	}
	if len(s.Thresholds) != 2 || s.Thresholds[1].Filter.Kind != "admins" {
		t.Errorf("thresholds = %+v", s.Thresholds)
	}
}

func TestLoadResolvesPathsAndChecksFiles(t *testing.T) {
	dir := t.TempDir()
	src := strings.Replace(valid, "credentials:\n", "credentials:\n  jwt: {secret_file: secret.txt}\n", 1) +
		"outputs: {json: out/results.json}\n"
	path := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Path != "credentials.jwt.secret_file" ||
		ve.Problems[0].Pos != (Pos{File: path, Line: 6, Col: 9}) {
		t.Fatalf("Load with a missing secret file: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Credentials.JWT.SecretFile != filepath.Join(dir, "secret.txt") ||
		s.Outputs.JSON != filepath.Join(dir, "out", "results.json") || s.Source != path {
		t.Errorf("paths not resolved: %q, %q", s.Credentials.JWT.SecretFile, s.Outputs.JSON)
	}
}

func TestLoadNotFound(t *testing.T) {
	tests := []struct {
		name string
		path string
	}{
		{name: "unknown built-in", path: "quickstrat"},
		{name: "missing file", path: filepath.Join(t.TempDir(), "nope.yaml")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.path)
			if err == nil || errors.Is(err, ErrInvalid) {
				t.Fatalf("Load(%q) = %v, want a not-found error", tt.path, err)
			}
			if tt.name == "unknown built-in" && !errors.Is(err, ErrNotFound) {
				t.Errorf("error %v does not wrap ErrNotFound", err)
			}
		})
	}
}

func TestKindsAreConsistent(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range Kinds() {
		if seen[k.Name] {
			t.Errorf("kind %s listed twice", k.Name)
		}
		seen[k.Name] = true
		if k.Valid == (k.Reason != "") {
			t.Errorf("kind %s: valid %v with reason %q", k.Name, k.Valid, k.Reason)
		}
		if got, ok := LookupKind(k.Name); !ok || got != k {
			t.Errorf("LookupKind(%s) = %+v, %v", k.Name, got, ok)
		}
	}
	if _, ok := LookupKind("jwt-hs255"); ok {
		t.Error("LookupKind found a kind that does not exist")
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		word, want string
	}{
		{word: "descripton", want: "description"},
		{word: "treshold", want: "thresholds"}, // two edits
		{word: "thresold", want: "thresholds"},
		{word: "limits", want: ""},
		{word: "lod", want: "load"},
		{word: "xyz", want: ""},
	}
	candidates := []string{"name", "description", "load", "thresholds"}
	for _, tt := range tests {
		if got := suggest(tt.word, candidates); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range Builtins() {
		b, err := Builtin(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(valid))
	if b, err := os.ReadFile(filepath.Join("testdata", "many-errors.yaml")); err == nil {
		f.Add(b)
	}
	f.Add([]byte("a: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("f.yaml", data)
		if err == nil {
			if s == nil || s.Name == "" || len(s.Namespaces) == 0 || len(s.Credentials.Mix) == 0 {
				t.Fatalf("valid scenario missing required parts: %+v", s)
			}
			return
		}
		var ve *ValidationError
		if !errors.As(err, &ve) || len(ve.Problems) == 0 {
			t.Fatalf("error %v is not a non-empty *ValidationError", err)
		}
		for _, p := range ve.Problems {
			if p.Pos.Line < 1 || p.Pos.Col < 1 || p.Msg == "" {
				t.Fatalf("problem without position or message: %+v", p)
			}
		}
	})
}

// TestReadmeListsEveryKind keeps the kinds table of README.md in step with
// the catalogue.
func TestReadmeListsEveryKind(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range Kinds() {
		if !strings.Contains(string(data), "| `"+k.Name+"` |") {
			t.Errorf("README.md has no row for kind %s", k.Name)
		}
	}
}

func TestLoadUnknownBuiltinSuggests(t *testing.T) {
	_, err := Load("quickstar")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "did you mean quickstart?") {
		t.Fatalf("Load(quickstar): %v", err)
	}
}

// TestDefaultThreshold: with no thresholds key a run must still answer every
// good credential (error_rate < 1%); an explicit empty list sets none.
func TestDefaultThreshold(t *testing.T) {
	base := "name: t\nnamespaces: [{name: /, methods: [jwt]}]\ncredentials: {mix: [{kind: jwt}]}\n" +
		"load: {model: open, stages: [{duration: 1s, rate: 1}]}\n"
	s, err := Parse("t.yaml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Thresholds) != 1 || s.Thresholds[0].Expr != DefaultThreshold {
		t.Errorf("thresholds %+v, want the default %q", s.Thresholds, DefaultThreshold)
	}
	s, err = Parse("t.yaml", []byte(base+"thresholds: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Thresholds) != 0 {
		t.Errorf("thresholds %+v, want none", s.Thresholds)
	}
}
