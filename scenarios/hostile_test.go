package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// withLoad replaces the valid scenario's load block.
func withLoad(load string) string {
	return strings.Replace(valid, "load:\n  stages:\n    - {duration: 10s, rate: 10}\n", load, 1)
}

// TestParse_HostileValues: values a hostile or careless author writes get
// exactly one clear problem each, at the value, never a second problem
// derived from the first and never a confusing "must be a number, got a
// number".
func TestParse_HostileValues(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{name: "nan rate", src: strings.Replace(valid, "rate: 10", "rate: .nan", 1),
			want: []string{`s.yaml:10:29: load.stages[0].rate: must be a finite number, got .nan`}},
		{name: "infinite rate", src: strings.Replace(valid, "rate: 10", "rate: .inf", 1),
			want: []string{`s.yaml:10:29: load.stages[0].rate: must be a finite number, got .inf`}},
		{name: "float out of range", src: strings.Replace(valid, "rate: 10", "rate: 1e400", 1),
			want: []string{`s.yaml:10:29: load.stages[0].rate: number out of range: 1e400`}},
		{name: "integer out of range", src: strings.Replace(valid, "rate: 10", "rate: 99999999999999999999999", 1),
			want: []string{`s.yaml:10:29: load.stages[0].rate: must be at most 1000000 per second`}},
		{name: "exponent without a dot is a number", src: strings.Replace(valid, "rate: 10", "rate: 1e2", 1)},
		{name: "quoted number stays a string", src: strings.Replace(valid, "rate: 10", "rate: '10'", 1),
			want: []string{`s.yaml:10:29: load.stages[0].rate: must be a number, got a string`}},
		{name: "infinite zipf exponent", src: strings.Replace(valid, "credentials:\n",
			"credentials:\n  reuse: zipf\n  zipf_s: -.inf\n", 1),
			want: []string{`s.yaml:7:11: credentials.zipf_s: must be a finite number, got -.inf`}},
		{name: "identities out of range", src: strings.Replace(valid, "credentials:\n",
			"credentials:\n  identities: 123456789012345678901234567890\n", 1),
			want: []string{`s.yaml:6:15: credentials.identities: integer out of range: 123456789012345678901234567890`}},
		{name: "stage durations overflow", src: withLoad("load:\n  stages:\n" +
			strings.Repeat("    - {duration: 2000000h, rate: 1}\n", 3)),
			want: []string{`s.yaml:9:3: load.stages: the load runs longer than 168h0m0s`}},
		{name: "hold longer than a week", src: withLoad("load:\n  model: hold\n  sockets: 10\n  hold: 200h\n"),
			want: []string{`s.yaml:11:3: load.hold: the load runs longer than 168h0m0s`}},
		{name: "closed duration longer than a week", src: withLoad(
			"load:\n  model: closed\n  vus: 1\n  duration: 1000h\n"),
			want: []string{`s.yaml:11:3: load.duration: the load runs longer than 168h0m0s`}},
		{name: "event every nanosecond", src: withLoad(
			"load:\n  model: hold\n  sockets: 10\n  hold: 1s\n  event_every: 1ns\n"),
			want: []string{`s.yaml:12:3: load.event_every: must be at least 100ms (or left out for no events)`}},
		{name: "token lifetime shorter than the run", src: strings.Replace(withLoad(
			"load:\n  stages:\n    - {duration: 20m, rate: 1}\n"), "credentials:\n",
			"credentials:\n  jwt: {lifetime: 5m}\n", 1),
			want: []string{`s.yaml:6:9: credentials.jwt.lifetime: valid tokens are minted before the run ` +
				`starts, so they must outlive it: the load runs 20m0s plus a 5s timeout; set at least 20m5s`}},
		{name: "namespace with a comma", src: strings.Replace(valid, "name: /admin,", "name: '/ad,min',", 1),
			want: []string{`s.yaml:4:6: namespaces[1].name: "/ad,min": a namespace holds no comma, ` +
				`whitespace or control character`}},
		{name: "namespace with a newline", src: strings.Replace(valid, "name: /admin,", `name: "/ad\nmin",`, 1),
			want: []string{`s.yaml:4:6: namespaces[1].name: "/ad\nmin": a namespace holds no comma, ` +
				`whitespace or control character`}},
		{name: "namespace too long", src: strings.Replace(valid, "name: /admin,", "name: /"+strings.Repeat("a", 300)+",", 1),
			want: []string{`s.yaml:4:6: namespaces[1].name: longer than 256 bytes`}},
		{name: "target port out of range", src: strings.Replace(valid, "credentials:\n",
			"credentials:\n  jwt: {secret: a-secret-of-32-bytes-or-more-.....}\n", 1) + "target: {url: 'http://127.0.0.1:99999'}\n",
			want: []string{`s.yaml:12:10: target.url: port "99999": want 1 to 65535`}},
		{name: "target with user info", src: strings.Replace(valid, "credentials:\n",
			"credentials:\n  jwt: {secret: a-secret-of-32-bytes-or-more-.....}\n", 1) + "target: {url: 'http://u:p@127.0.0.1:3000'}\n",
			want: []string{`s.yaml:12:10: target.url: must hold no user name or password`}},
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

// TestParse_LongRunRaisesDefaultLifetime: a run longer than the default
// token lifetime gets tokens that outlive it, not false rejects halfway.
func TestParse_LongRunRaisesDefaultLifetime(t *testing.T) {
	s, err := Parse("s.yaml", []byte(withLoad("load:\n  stages:\n    - {duration: 1h, rate: 1}\n")))
	if err != nil {
		t.Fatal(err)
	}
	if min := time.Hour + DefaultTimeout; s.Credentials.JWT.Lifetime < min {
		t.Errorf("lifetime %v: want at least %v", s.Credentials.JWT.Lifetime, min)
	}
}

// TestParse_HostileShapes: documents the YAML parser handles slowly (deep
// nesting, very many lines) or that are not text are refused quickly with
// one problem, before the parser sees them.
func TestParse_HostileShapes(t *testing.T) {
	manyLines := func() string {
		var b strings.Builder
		for i := range 60_000 {
			b.WriteString("k" + strings.Repeat("x", i%7) + ": 1\n")
		}
		return b.String()
	}
	tests := []struct {
		name string
		src  string
		want string
	}{
		{name: "deep flow sequence", src: "name: " + strings.Repeat("[", 300_000),
			want: `s.yaml:1:71: nested deeper than 64 levels`},
		{name: "deep flow mapping", src: "name: " + strings.Repeat("{a: ", 100_000),
			want: `s.yaml:1:263: nested deeper than 64 levels`},
		{name: "too many lines", src: manyLines(),
			want: `s.yaml:10001:1: more than 10000 lines: a scenario is a short file`},
		{name: "binary garbage", src: "name: t\n\x00\x01\xff\xfe garbage",
			want: `s.yaml:2:1: not UTF-8 text (a binary file?)`},
		{name: "truncated", src: valid[:len(valid)-12],
			want: `s.yaml:10:7: YAML syntax: could not find flow mapping end token '}'`},
		{name: "tab indentation", src: "name: t\n\tnamespaces: []\n",
			want: "s.yaml:2:1: YAML syntax: found character '\t' that cannot start any token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problems(t, tt.src)
			if len(got) == 0 || got[0] != tt.want {
				t.Errorf("got %d problems:\n%s\nwant first: %s", len(got),
					strings.Join(got[:min(len(got), 5)], "\n"), tt.want)
			}
		})
	}
}

// loadWithin runs Load(path) and fails t when it has not returned within a
// bound: a scenario path that blocks (a FIFO) must not hang the run.
func loadWithin(t *testing.T, path string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := Load(path)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("Load(%s) blocked", path)
		return nil
	}
}

// TestLoad_NonRegularFiles: a scenario, secret, key or records path that is
// a FIFO or a device is refused by name instead of read (a FIFO blocks
// forever, /dev/zero never ends).
func TestLoad_NonRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := loadWithin(t, fifo); err == nil || !strings.Contains(err.Error(), fifo+": not a regular file") {
		t.Errorf("Load(fifo) = %v: want a refusal naming the file", err)
	}
	if err := loadWithin(t, os.DevNull); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("Load(%s) = %v: want a refusal", os.DevNull, err)
	}
	for _, field := range []string{"secret_file", "key_file"} {
		alg := map[string]string{"secret_file": "HS256", "key_file": "RS256"}[field]
		src := strings.Replace(valid, "credentials:\n", "credentials:\n  jwt: {alg: "+alg+", "+field+": fifo}\n", 1)
		path := filepath.Join(dir, field+".yaml")
		if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		err := loadWithin(t, path)
		want := path + ":6:21: credentials.jwt." + field + ": cannot read " + fifo + ": not a regular file"
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %s", field, err, want)
		}
	}
}

// TestLoad_TooLarge: a 2 MB scenario file is refused by name without
// being parsed.
func TestLoad_TooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, []byte(valid+"#"+strings.Repeat("x", 2<<20)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := loadWithin(t, path); err == nil || !strings.Contains(err.Error(), path+": larger than 1048576 bytes") {
		t.Errorf("Load = %v: want a refusal naming the file and the limit", err)
	}
}
