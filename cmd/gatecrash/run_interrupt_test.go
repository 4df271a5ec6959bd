package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/results"
)

// TestRun_InterruptWritesIncomplete: Ctrl-C (the context cancelled
// in-process) mid-run stops the run, and what was collected is written,
// marked incomplete, with the summary printed and exit 1.
func TestRun_InterruptWritesIncomplete(t *testing.T) {
	path := writeScenario(t, "hardened", "error_rate < 1%")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Replace(string(data), "duration: 1s", "duration: 10m", 1)
	if err := os.WriteFile(path, []byte(long), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(1500*time.Millisecond, cancel)
	out := filepath.Join(t.TempDir(), "r.json")
	code, stdout, stderr, _ := runCtx(t, ctx, "run", path, "--out", out, "--progress", "off")
	if code != ExitError || !strings.Contains(stderr, "interrupted") {
		t.Errorf("exit %d, stderr %q: want exit %d saying interrupted", code, stderr, ExitError)
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatalf("results not written: %v", err)
	}
	if !r.Meta.Incomplete || r.Counters.Samples == 0 {
		t.Errorf("incomplete %v, %d samples: want an incomplete result with samples",
			r.Meta.Incomplete, r.Counters.Samples)
	}
	if !strings.Contains(stdout, "namespace") {
		t.Errorf("no summary:\n%s", stdout)
	}
}

// TestRun_UnwritableOut: a results path that cannot be written is
// reported by name, and the summary is printed all the same; a security
// failure keeps its exit code and the write failure is still reported.
func TestRun_UnwritableOut(t *testing.T) {
	tests := []struct {
		name, profile string
		want          int
	}{
		{name: "passing run", profile: "hardened", want: ExitError},
		{name: "security failure", profile: "seed-gap", want: ExitSecurity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeScenario(t, tt.profile, "error_rate < 100%")
			out := filepath.Join(t.TempDir(), "missing-dir", "r.json")
			code, stdout, stderr, _ := runCtx(t, context.Background(), "run", path, "--out", out,
				"--progress", "off")
			if code != tt.want || !strings.Contains(stderr, out) {
				t.Errorf("exit %d, stderr %q: want exit %d naming %s", code, stderr, tt.want, out)
			}
			if !strings.Contains(stdout, "namespace") {
				t.Errorf("no summary:\n%s", stdout)
			}
		})
	}
}

// runCtx is gatecrash with a context.
func runCtx(t *testing.T, ctx context.Context, args ...string) (int, string, string, error) {
	t.Helper()
	var out, errb strings.Builder
	err := run(ctx, args, &out, &errb)
	return exitCode(err, &errb), out.String(), errb.String(), err
}

// TestRun_OutIsAnInput: a results path that names one of the run's input
// files (the scenario itself, its secret) is refused before the run, and
// the file is left as it was.
func TestRun_OutIsAnInput(t *testing.T) {
	path := writeScenario(t, "hardened", "error_rate < 1%")
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr, _ := runCtx(t, context.Background(), "run", path, "--out", path, "--progress", "off")
	after, _ := os.ReadFile(path)
	if code != ExitError || !strings.Contains(stderr, path) || string(after) != string(before) {
		t.Errorf("exit %d, stderr %q, scenario changed %v: want exit %d naming %s, the file intact",
			code, stderr, string(after) != string(before), ExitError, path)
	}
}
