package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatecrash/gatecrash/results"
)

// gatecrash runs the CLI in-process and returns its exit code and output.
func gatecrash(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	code = exitCode(err, &errb)
	return code, out.String(), errb.String()
}

const shortRun = `
name: cli-test
server: {profile: %s}
namespaces:
  - {name: /, methods: [jwt]}
  - {name: /admin, methods: [jwt], roles: [admin]}
credentials:
  identities: 10
  mix:
    - {kind: jwt, weight: 2}
    - {kind: jwt, roles: [admin]}
    - {kind: jwt-bad-signature}
    - {kind: missing}
load:
  model: open
  stages: [{duration: 1s, rate: 60}]
thresholds:
  - %s
`

func writeScenario(t *testing.T, profile, threshold string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.yaml")
	text := strings.Replace(strings.Replace(shortRun, "%s", profile, 1), "%s", threshold, 1)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRun_ExitCodes(t *testing.T) {
	tests := []struct {
		name, profile, threshold string
		want                     int
	}{
		{name: "passed", profile: "hardened", threshold: "error_rate < 1%", want: ExitPassed},
		{name: "threshold failed", profile: "hardened", threshold: "p99(connect) < 1us",
			want: ExitThresholds},
		{name: "bad credential accepted", profile: "seed-gap", threshold: "error_rate < 100%",
			want: ExitSecurity},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeScenario(t, tc.profile, tc.threshold)
			out := filepath.Join(t.TempDir(), "r.json")
			code, stdout, stderr := gatecrash(t, "run", path, "--out", out, "--progress", "off")
			if code != tc.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.want, stdout, stderr)
			}
			r, err := results.ReadFile(out)
			if err != nil {
				t.Fatalf("results not written: %v", err)
			}
			if r.Counters.Samples == 0 || !strings.Contains(stdout, "namespace") {
				t.Errorf("%d samples; summary:\n%s", r.Counters.Samples, stdout)
			}
		})
	}
}

func TestRun_BadScenarioNamesFileAndLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte("name: x\nload:\n  model: sideways\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := gatecrash(t, "run", path)
	if code != ExitError || !strings.Contains(stderr, path+":3:") {
		t.Fatalf("exit %d, stderr %q: want exit %d naming %s:3", code, stderr, ExitError, path)
	}
}

func TestRun_BadFlag(t *testing.T) {
	code, _, stderr := gatecrash(t, "run", "quickstart", "--progress", "sometimes")
	if code != ExitError || !strings.Contains(stderr, "--progress") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

func TestToken_JWTAndAPIKey(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.txt")
	if code, _, stderr := gatecrash(t, "token", "keygen", "--alg", "HS256", "--out", secret); code != 0 {
		t.Fatalf("keygen: %s", stderr)
	}
	code, stdout, stderr := gatecrash(t, "token", "jwt", "--secret-file", secret, "--roles", "admin")
	if code != 0 || strings.Count(strings.TrimSpace(stdout), ".") != 2 {
		t.Fatalf("jwt: exit %d, %q %q", code, stdout, stderr)
	}
	keys := filepath.Join(dir, "keys.jsonl")
	code, stdout, _ = gatecrash(t, "token", "apikey", "--keys-file", keys)
	data, err := os.ReadFile(keys)
	if code != 0 || !strings.HasPrefix(stdout, "gck_live_") || err != nil ||
		strings.Contains(string(data), strings.TrimSpace(stdout)) {
		t.Fatalf("apikey: exit %d, key %q, file %q (%v): the file must hold a digest, never the key",
			code, stdout, data, err)
	}
	if code, _, _ := gatecrash(t, "token", "jwt"); code != ExitError {
		t.Errorf("jwt without key: exit %d, want %d", code, ExitError)
	}
}

func TestExitCode_Unwraps(t *testing.T) {
	var errb bytes.Buffer
	if got := exitCode(errors.New("boom"), &errb); got != ExitError || !strings.Contains(errb.String(), "boom") {
		t.Errorf("plain error: %d %q", got, errb.String())
	}
}
