package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatecrash/gatecrash/internal/overhead"
)

// tinySchedule is a scenario whose load is five handshakes per variant.
const tinySchedule = `name: tiny
namespaces: [{name: /, methods: [jwt]}]
credentials:
  identities: 2
  reuse: uniform
  mix: [{kind: jwt}]
load:
  model: open
  stages: [{duration: 250ms, rate: 20}]
`

func TestOverheadCommand(t *testing.T) {
	p := filepath.Join(t.TempDir(), "tiny.yaml")
	if err := os.WriteFile(p, []byte(tinySchedule), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	cmd := newOverheadCmd()
	js := filepath.Join(t.TempDir(), "overhead.json")
	cmd.SetArgs([]string{p, "--rounds", "1", "--json", js})
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	if err := cmd.Execute(); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	for _, want := range []string{"none", "jwt-hs256/uncached", "jwt-rs256/cached", "apikey/cached",
		"session/uncached", "hit ratio"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if rep, err := overhead.ReadFile(js); err != nil || len(rep.Rows) != len(overhead.DefaultVariants()) {
		t.Errorf("--json file: %v, %+v", err, rep)
	}
}
