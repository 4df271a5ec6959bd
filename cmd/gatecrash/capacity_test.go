package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatecrash/gatecrash/internal/capacity"
)

func TestCapacityCommand(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "tiny.yaml")
	if err := os.WriteFile(p, []byte(tinySchedule), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		slo       string
		wantCode  int
		wantOut   []string
		wantFile  bool
		wantInErr string
	}{
		{name: "met", slo: "p99(connect) < 10s, errors < 50%", wantFile: true,
			wantOut: []string{"sustainable rate: at least 20/s", "memory:", "per core:", "assumptions:"}},
		{name: "never met", slo: "p99(connect) < 1us", wantCode: ExitThresholds, wantFile: true,
			wantOut: []string{"sustainable rate: none"}, wantInErr: "no probed rate"},
		{name: "bad slo", slo: "p99(nowhere) < 1ms", wantCode: ExitError, wantInErr: "--slo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			js := filepath.Join(dir, tt.name+".json")
			var out, errOut bytes.Buffer
			cmd := newCapacityCmd()
			cmd.SetArgs([]string{p, "--slo", tt.slo, "--start-rate", "10", "--max-rate", "20", "--probe", "250ms",
				"--confirm", "250ms", "--hold-sockets", "5", "--hold", "300ms", "--max-probes", "3", "--json", js})
			cmd.SetOut(&out)
			cmd.SetErr(&errOut)
			err := cmd.Execute()
			var ee *exitError
			switch {
			case tt.wantCode == 0 && err != nil:
				t.Fatalf("%v\n%s", err, errOut.String())
			case tt.wantCode != 0 && (!errors.As(err, &ee) || ee.code != tt.wantCode):
				t.Fatalf("err = %v, want exit code %d", err, tt.wantCode)
			case tt.wantInErr != "" && !strings.Contains(err.Error(), tt.wantInErr):
				t.Errorf("err = %v, want it to say %q", err, tt.wantInErr)
			}
			for _, want := range tt.wantOut {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
			if _, err := capacity.ReadFile(js); (err == nil) != tt.wantFile {
				t.Errorf("JSON file: %v, want written %v", err, tt.wantFile)
			}
		})
	}
}
