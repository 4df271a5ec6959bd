package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/results"
)

const hostileScenario = `
name: hostile
target: {url: 'http://ADDR'}
namespaces:
  - {name: /, methods: [jwt]}
  - {name: /admin, methods: [jwt], roles: [admin]}
credentials:
  identities: 10
  jwt: {secret: hostile-test-secret-of-at-least-32-bytes}
  mix: MIX
` + hostileLoad + `thresholds: ['error_rate < 1%']
`

// hostileLoad is the load block of hostileScenario.
const hostileLoad = `load:
  stages: [{duration: 500ms, rate: 20}]
  timeout: 1s
`

const (
	mixGoodAndBad = "[{kind: jwt, weight: 2}, {kind: jwt-bad-signature}, {kind: missing}]"
	mixGoodOnly   = "[{kind: jwt, roles: [admin]}]" // accepted on every namespace
)

// runBound is how long a short run against a hostile server may take
// before the test calls it hung: the schedule (0.5 s) plus the handshake
// timeout (1 s), with a wide margin for a loaded machine. It bounds, it
// does not measure.
const runBound = 60 * time.Second

// runHostileScenario runs the scenario against addr through the CLI, with
// another load block when load is not empty, and returns the exit code, the
// outputs and the results file's path.
func runHostileScenario(t *testing.T, ctx context.Context, addr, mix, load string) (int, string, string,
	string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "s.yaml")
	text := strings.NewReplacer("ADDR", addr, "MIX", mix).Replace(hostileScenario)
	if load != "" {
		i, j := strings.Index(text, "load:"), strings.Index(text, "thresholds:")
		text = text[:i] + load + text[j:]
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "r.json")
	args := []string{"run", path, "--out", out, "--progress", "off"}
	ctx, cancel := context.WithTimeout(ctx, runBound)
	defer cancel()
	var stdout, stderr bytes.Buffer
	err := run(ctx, args, &stdout, &stderr)
	if ctx.Err() == context.DeadlineExceeded {
		t.Fatalf("run did not end within %s", runBound)
	}
	code := exitCode(err, &stderr)
	return code, stdout.String(), stderr.String(), out
}

// TestRun_HostileServers: against servers that break the protocol or lie,
// the run ends within its bound, classifies every CONNECT, writes its
// results and picks the exit code: 3 when a bad credential got in or
// whoami named someone else, 2 when the server merely failed (no answer,
// garbage), which the error_rate threshold catches.
func TestRun_HostileServers(t *testing.T) {
	tests := []struct {
		mode    hostileMode
		polling bool // start on polling, as browsers do
		mix     string
		want    int
		// accepted says whether any CONNECT may count as accepted.
		accepted bool
	}{
		{mode: modeGarbageHTTP, mix: mixGoodAndBad, want: ExitThresholds},
		{mode: modeUpgradeClose, mix: mixGoodAndBad, want: ExitThresholds},
		{mode: modeGarbageOpen, mix: mixGoodAndBad, want: ExitThresholds},
		{mode: modeSilent, mix: mixGoodAndBad, want: ExitThresholds},
		{mode: modeFlood, mix: mixGoodAndBad, want: ExitThresholds},
		{mode: modeWrongNsp, mix: mixGoodAndBad, want: ExitThresholds},
		{mode: modeAcceptAll, mix: mixGoodAndBad, want: ExitSecurity, accepted: true},
		// The generator refuses an open it cannot honour (a protocol
		// violation, a transport error): the server is broken, not proven
		// secure, and error_rate says so.
		{mode: modeAbsurdOpen, mix: mixGoodAndBad, want: ExitThresholds},
		{mode: modeZeroPing, mix: mixGoodAndBad, want: ExitSecurity, accepted: true},
		{mode: modeWrongSubject, mix: mixGoodOnly, want: ExitSecurity, accepted: true},
		{mode: modeHTTPSilent, mix: mixGoodAndBad, want: ExitThresholds},
		{mode: modeHTTPSilent, polling: true, mix: mixGoodAndBad, want: ExitThresholds},
		{mode: modeGarbageHTTP, polling: true, mix: mixGoodAndBad, want: ExitThresholds},
	}
	for _, tt := range tests {
		name := string(tt.mode)
		if tt.polling {
			name += "/polling"
		}
		t.Run(name, func(t *testing.T) {
			srv := startHostile(t, tt.mode)
			load := ""
			if tt.polling {
				load = strings.Replace(hostileLoad, "  timeout:", "  transport: polling\n  timeout:", 1)
			}
			code, stdout, stderr, out := runHostileScenario(t, context.Background(), srv.hostileAddr(), tt.mix,
				load)
			r, err := results.ReadFile(out)
			if err != nil {
				t.Fatalf("exit %d, results not written: %v\nstderr:\n%s", code, err, stderr)
			}
			if code != tt.want {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.want, stdout, stderr)
			}
			if r.Meta.Incomplete || r.Counters.Samples == 0 {
				t.Errorf("incomplete %v (%s), %d samples: want a complete run with samples",
					r.Meta.Incomplete, r.Meta.IncompleteReason, r.Counters.Samples)
			}
			if n := r.Counters.Outcomes[results.OutcomeAccepted]; (n > 0) != tt.accepted {
				t.Errorf("%d accepted (outcomes %v): want accepted %v", n, r.Counters.Outcomes, tt.accepted)
			}
			if !strings.Contains(stdout, "namespace") {
				t.Errorf("no summary on stdout:\n%s", stdout)
			}
			if tt.mode == modeWrongSubject && (r.Security.IdentityMismatches == 0 || r.Security.FalseAccepts > 0) {
				t.Errorf("security %+v: want identity mismatches alone", r.Security)
			}
		})
	}
}

// TestRun_HostileServersHold: the hold model keeps sockets open, so a
// server that lies, stays silent or floods must still let the run end at
// its hold bound, with the same exit codes.
func TestRun_HostileServersHold(t *testing.T) {
	hold := "load:\n  model: hold\n  sockets: 4\n  ramp: 200ms\n  hold: 1s\n  event_every: 200ms\n  timeout: 1s\n"
	tests := []struct {
		mode hostileMode
		mix  string
		want int
	}{
		{mode: modeSilent, mix: mixGoodAndBad, want: ExitThresholds},
		{mode: modeFlood, mix: mixGoodAndBad, want: ExitThresholds},
		{mode: modeAcceptAll, mix: mixGoodAndBad, want: ExitSecurity},
		{mode: modeZeroPing, mix: mixGoodOnly, want: ExitPassed},
		{mode: modeWrongSubject, mix: mixGoodOnly, want: ExitSecurity},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			srv := startHostile(t, tt.mode)
			code, stdout, stderr, out := runHostileScenario(t, context.Background(), srv.hostileAddr(), tt.mix,
				hold)
			if _, err := results.ReadFile(out); err != nil {
				t.Fatalf("exit %d, results not written: %v\nstderr:\n%s", code, err, stderr)
			}
			if code != tt.want {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.want, stdout, stderr)
			}
		})
	}
}
