package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// valid is a small valid scenario the broken cases start from.
const valid = `name: t
namespaces:
  - {name: /, methods: [jwt]}
  - {name: /admin, methods: [jwt], roles: [admin]}
credentials:
  mix:
    - {kind: jwt}
load:
  stages:
    - {duration: 10s, rate: 10}
`

// problems parses src and returns its problems as strings.
func problems(t *testing.T, src string) []string {
	t.Helper()
	_, err := Parse("s.yaml", []byte(src))
	if err == nil {
		return nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("error %v is not a *ValidationError wrapping ErrInvalid", err)
	}
	out := make([]string, len(ve.Problems))
	for i, p := range ve.Problems {
		out[i] = p.String()
	}
	return out
}

func TestParseValid(t *testing.T) {
	if got := problems(t, valid); got != nil {
		t.Fatalf("valid scenario has problems:\n%s", strings.Join(got, "\n"))
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "many-errors.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`s.yaml:2:1: descripton: unknown key (did you mean "description"?)`,
		`s.yaml:4:3: target.url: must have no path or query: put the Socket.IO path in target.path`,
		`s.yaml:4:3: target.url: 10.0.0.5 is not a loopback address: set allow_remote: true to aim at it`,
		`s.yaml:5:3: target.tls: tls settings need an https or wss URL`,
		`s.yaml:6:1: server: a server block configures the embedded server: it cannot go with a target`,
		`s.yaml:7:12: server.profile: unknown value "hardend" (did you mean "hardened"?)`,
		`s.yaml:9:5: namespaces[0].name: must start with / (for example /admin)`,
		`s.yaml:10:20: namespaces[0].methods[1]: unknown value "oauth": want one of jwt, apikey, session`,
		`s.yaml:12:5: namespaces[1].public: a public namespace takes no methods or roles`,
		`s.yaml:15:15: credentials.identities: must be an integer, got a string`,
		`s.yaml:17:5: credentials.jwt.secret: 6 bytes: HS256 needs a secret of at least 32 bytes`,
		`s.yaml:18:5: credentials.jwt.secret_file: secret and secret_file exclude each other`,
		`s.yaml:20:14: credentials.mix[0].kind: unknown value "jwt-expird" (did you mean "jwt-expired"?)`,
		`s.yaml:21:8: credentials.mix[1].kind: session against a target needs credentials.file: ` +
			`gatecrash cannot create them in the target's store`,
		`s.yaml:21:23: credentials.mix[1].place: a session credential cannot travel in header: want one of ` +
			`auth, cookie`,
		`s.yaml:22:23: credentials.mix[2].roles: kind missing presents no credential, so it holds no roles`,
		`s.yaml:23:8: credentials.mix[3].kind: apikey against a target needs credentials.file: ` +
			`gatecrash cannot create them in the target's store`,
		`s.yaml:23:22: credentials.mix[3].alg: alg applies to JWT kinds only`,
		`s.yaml:23:42: credentials.mix[3].weight: must be > 0`,
		`s.yaml:24:28: credentials.mix[4].expect[/nowhere]: namespace /nowhere is not declared in namespaces`,
		`s.yaml:24:52: credentials.mix[4].expect[/api]: unknown value "maybe": want one of accept, reject`,
		`s.yaml:27:3: load.stages: belongs to model open, not hold`,
		`s.yaml:30:9: load.hold: duration needs a unit: write for example 30s`,
		`s.yaml:31:3: load.timeout: must be > 0 and at most 5m0s`,
		`s.yaml:33:9: thresholds[0]: unknown phase "conect": want one of wait, dial, tls, upgrade, open, ` +
			`connect, first_ack, service, total`,
		`s.yaml:34:19: thresholds[1]: bad ratio "1.5x": want a percentage such as 1% or a fraction such as 0.01`,
		`s.yaml:35:5: thresholds[2]: namespace /x is not declared in namespaces`,
		`s.yaml:37:9: outputs.html: HTML output is not implemented yet`,
	}
	got := problems(t, string(data))
	if !slices.Equal(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{name: "syntax error", src: "name: [t\n",
			want: []string{`s.yaml:1:7: YAML syntax: sequence end token ']' not found`}},
		{name: "empty document", src: "# nothing\n",
			want: []string{`s.yaml:1:1: the scenario is empty`}},
		{name: "two documents", src: valid + "---\nname: u\n",
			want: []string{`s.yaml:12:5: a scenario file holds one YAML document, found 2`}},
		{name: "top level list", src: "- a\n",
			want: []string{`s.yaml:1:1: must be a mapping, got a list`}},
		{name: "missing sections", src: "name: t\n",
			want: []string{`s.yaml:1:1: namespaces: at least one namespace is required`,
				`s.yaml:1:1: credentials.mix: at least one credential kind is required`,
				`s.yaml:1:1: load: is required`}},
		{name: "duplicate key", src: valid + "name: u\n",
			want: []string{`s.yaml:11:1: name: duplicate key`}},
		{name: "unknown key far from any", src: valid + "zzzzzz: 1\n",
			want: []string{`s.yaml:11:1: zzzzzz: unknown key (known: name, description, target, server, ` +
				`namespaces, credentials, load, thresholds, outputs, revoke)`}},
		{name: "unknown alias", src: strings.Replace(valid, "name: t", "name: *nope", 1),
			want: []string{`s.yaml:1:7: name: unknown alias *nope`}},
		{name: "merge key", src: valid + "outputs:\n  <<: {json: a}\n",
			want: []string{`s.yaml:12:3: outputs: merge keys (<<) are not supported`}},
		{name: "bad duration", src: strings.Replace(valid, "duration: 10s", "duration: 10 seconds", 1),
			want: []string{`s.yaml:10:18: load.stages[0].duration: bad duration "10 seconds": ` +
				`want for example 250ms, 30s or 1m30s`}},
		{name: "zero rate", src: strings.Replace(valid, "rate: 10", "rate: 0", 1),
			want: []string{`s.yaml:10:29: load.stages[0].rate: must be > 0 (0 is allowed only with ramp: ` +
				`true, to ramp down)`}},
		{name: "wrong type", src: strings.Replace(valid, "name: t", "name: [t]", 1),
			want: []string{`s.yaml:1:7: name: must be a string, got a list`}},
		{name: "hold with stages", src: strings.Replace(valid, "load:\n",
			"load:\n  model: hold\n  sockets: 5\n  hold: 1s\n", 1),
			want: []string{`s.yaml:12:3: load.stages: belongs to model open, not hold`}},
		{name: "closed with duration and iterations",
			src: strings.Replace(valid, "  stages:\n    - {duration: 10s, rate: 10}\n",
				"  model: closed\n  vus: 2\n  duration: 5s\n  iterations: 10\n", 1),
			want: []string{`s.yaml:12:3: load.iterations: duration and iterations exclude each other`}},
		{name: "place cookie with a jwt kind", src: strings.Replace(valid, "{kind: jwt}",
			"{kind: jwt, place: cookie}", 1),
			want: []string{`s.yaml:7:19: credentials.mix[0].place: a jwt credential cannot travel in cookie: ` +
				`want one of auth, header, query`}},
		{name: "alg none by override", src: strings.Replace(valid, "{kind: jwt}", "{kind: jwt, alg: none}", 1),
			want: []string{`s.yaml:7:19: credentials.mix[0].alg: use kind jwt-alg-none for alg "none"`}},
		{name: "rsa alg with a secret",
			src: strings.Replace(valid, "credentials:\n", "credentials:\n  jwt: {alg: RS256, secret: x}\n", 1),
			want: []string{`s.yaml:6:9: credentials.jwt.alg: alg RS256 needs key_file (a PEM private key), ` +
				`not a secret`}},
		{name: "target and server",
			src: valid + "target: {url: 'http://127.0.0.1:3000'}\nserver: {profile: hardened}\n" +
				"credentials:\n", want: []string{`s.yaml:7:8: credentials.mix[0].kind: jwt against a target needs ` +
				`the target's key: set credentials.jwt.secret, secret_file or key_file`,
				`s.yaml:12:1: server: a server block configures the embedded server: it cannot go with a target`,
				`s.yaml:13:1: credentials: duplicate key`}},
		{name: "remote target without allow_remote", src: valid + "target: {url: 'https://example.com'}\n" +
			"",
			want: []string{`s.yaml:7:8: credentials.mix[0].kind: jwt against a target needs the target's key: ` +
				`set credentials.jwt.secret, secret_file or key_file`,
				`s.yaml:11:10: target.url: example.com is not a loopback address: set allow_remote: true to ` +
					`aim at it`}},
		{name: "credentials file with the embedded server",
			src: strings.Replace(valid, "credentials:\n", "credentials:\n  file: creds.csv\n", 1),
			want: []string{`s.yaml:6:3: credentials.file: pre-issued credentials need a target: the embedded ` +
				`server mints its own`}},
		{name: "multiplex with one namespace",
			src: strings.Replace(strings.Replace(valid, "  - {name: /admin, methods: [jwt], roles: [admin]}\n", "", 1),
				"load:\n", "load:\n  multiplex: true\n", 1),
			want: []string{`s.yaml:8:3: load.multiplex: needs at least two namespaces to share a connection`}},
		{name: "unique identities too few",
			src: strings.Replace(valid, "credentials:\n", "credentials:\n  reuse: unique\n  identities: 50\n", 1),
			want: []string{`s.yaml:6:3: credentials.reuse: unique identities: the load plans 100 handshakes but ` +
				`credentials.identities is 50`}},
		{name: "duplicate labels", src: strings.Replace(valid, "{kind: jwt}",
			"{kind: jwt}\n    - {kind: jwt, weight: 2}", 1),
			want: []string{`s.yaml:8:7: credentials.mix[1]: credentials.mix[0] has the same label "jwt": give ` +
				`one a name`}},
		{name: "threshold kind not in mix", src: valid + "thresholds: ['p99(connect, kind=apikey) < 1s']\n",
			want: []string{`s.yaml:11:14: thresholds[0]: kind apikey is not in credentials.mix (labels: jwt)`}},
		{name: "source address outside loopback", src: strings.Replace(valid, "load:\n",
			"load:\n  source_addrs: [10.0.0.1]\n", 1),
			want: []string{`s.yaml:9:18: load.source_addrs[0]: 10.0.0.1 is not in 127.0.0.0/8: source ` +
				`addresses are loopback only`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problems(t, tt.src)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestParseAliasesAreBounded(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		maxProbs int
		want     string
	}{
		{name: "nested aliases are not expanded", src: aliasBomb(), maxProbs: 25,
			want: `s.yaml:9:10: namespaces[0].roles[0]: must be a string, got a list`},
		{name: "node budget", src: "name: t\nnamespaces:\n  - roles: [" + strings.Repeat("a, ", maxNodes) + "a]\n",
			maxProbs: 10, want: "the document is too large or has too many aliases (over 100000 nodes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problems(t, tt.src)
			if len(got) > tt.maxProbs || !slices.ContainsFunc(got, func(s string) bool {
				return strings.Contains(s, tt.want)
			}) {
				t.Errorf("got %d problems, want at most %d including %q:\n%s", len(got), tt.maxProbs, tt.want,
					strings.Join(got[:min(len(got), 20)], "\n"))
			}
		})
	}
}

// aliasBomb returns a document whose aliases would expand to billions of
// nodes if followed without a bound.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	b.WriteString("namespaces: [{name: /, methods: [jwt], roles: *a8}]\n")
	return b.String()
}
