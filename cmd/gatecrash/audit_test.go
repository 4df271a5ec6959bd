package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatecrash/gatecrash/audit"
	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/server"
)

// auditCLI runs `gatecrash audit args…` in-process (the lead adds the
// command to the root; until then it runs on its own) and returns the exit
// code and output.
func auditCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := newAuditCmd()
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.ExecuteContext(context.Background())
	return exitCode(err, &errb), out.String(), errb.String()
}

func startRef(t *testing.T, p server.Profile) *runner.Reference {
	t.Helper()
	ref, err := runner.StartReference(runner.ReferenceConfig{Server: server.Config{Profile: p},
		Issuer: "gatecrash", Audience: "gatecrash"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ref.Close() })
	return ref
}

// TestAudit_ExitCodesAndReports: the seed-gap server's open /admin exits 3
// with the Markdown and JSON reports written; the hardened server, audited
// with its real JWT secret, exits 0; a remote target is refused before any
// request.
func TestAudit_ExitCodesAndReports(t *testing.T) {
	seed, hard := startRef(t, server.ProfileSeedGap), startRef(t, server.ProfileHardened)
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	if err := os.WriteFile(secret, hard.Material.Keys[0].Key().([]byte), 0o600); err != nil {
		t.Fatal(err)
	}
	fast := []string{"--transports", "websocket,polling", "--rate", "1000", "--budget", "2s",
		"-n", "/", "-n", "/admin:admin", "-n", "/api"}
	tests := []struct {
		name     string
		args     []string
		want     int
		wantText string
	}{
		{name: "seed-gap critical", want: ExitSecurity, wantText: "CRITICAL F-01 /admin",
			args: append([]string{"--target", seed.Server.URL(), "--markdown", filepath.Join(dir, "a.md"),
				"--json", filepath.Join(dir, "a.json")}, fast...)},
		{name: "hardened clean", want: ExitPassed, wantText: "critical 0 high 0 medium 0",
			args: append([]string{"--target", hard.Server.URL(), "--secret-file", secret}, fast...)},
		{name: "remote refused", want: ExitError, args: []string{"--target", "http://192.0.2.1:80"}},
		{name: "no target", want: ExitError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := auditCLI(t, tc.args...)
			if code != tc.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.want, out, errs)
			}
			if flat := strings.Join(strings.Fields(out), " "); !strings.Contains(flat, tc.wantText) {
				t.Errorf("summary lacks %q:\n%s", tc.wantText, out)
			}
		})
	}
	md, err := os.ReadFile(filepath.Join(dir, "a.md"))
	if err != nil || !strings.Contains(string(md), "### CRITICAL · F-01 · `/admin`") {
		t.Errorf("markdown report (%v):\n%.600s", err, md)
	}
	var r audit.Report
	if data, err := os.ReadFile(filepath.Join(dir, "a.json")); err != nil || json.Unmarshal(data, &r) != nil ||
		r.Max() != audit.SeverityCritical {
		t.Errorf("JSON report unreadable or without its critical finding (%v)", err)
	}
}

// TestAudit_Scenario: --scenario takes the target, namespaces and key
// material from a scenario: with no target it starts the embedded server the
// scenario describes, so the hardened one comes out clean with its own keys
// and the seed-gap one exits 3 on its open /admin and /api.
func TestAudit_Scenario(t *testing.T) {
	dir := t.TempDir()
	fast := []string{"--transports", "websocket", "--rate", "1000", "--budget", "2s",
		"--groups", "namespaces"}
	for _, tc := range []struct {
		profile  string
		want     int
		wantText string
	}{
		{profile: "hardened", want: ExitPassed, wantText: "critical 0 high 0"},
		{profile: "seed-gap", want: ExitSecurity, wantText: "CRITICAL F-01 /api"},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			path := filepath.Join(dir, tc.profile+".yaml")
			yaml := "name: a\nserver: {profile: " + tc.profile + "}\nnamespaces:\n" +
				"  - {name: /, methods: [jwt]}\n  - {name: /admin, methods: [jwt], roles: [admin]}\n" +
				"  - {name: /api, methods: [jwt, apikey]}\n" +
				"credentials: {mix: [{kind: jwt}]}\nload: {model: open, stages: [{duration: 1s, rate: 1}]}\n"
			if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errs := auditCLI(t, append([]string{"--scenario", path}, fast...)...)
			if code != tc.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.want, out, errs)
			}
			if flat := strings.Join(strings.Fields(out), " "); !strings.Contains(flat, tc.wantText) {
				t.Errorf("summary lacks %q:\n%s", tc.wantText, out)
			}
		})
	}
	if code, _, errs := auditCLI(t, "--scenario", "quickstart", "--target", "http://127.0.0.1:1"); code !=
		ExitError || !strings.Contains(errs, "drop --target") {
		t.Errorf("--scenario with --target: exit %d, %q", code, errs)
	}
}
