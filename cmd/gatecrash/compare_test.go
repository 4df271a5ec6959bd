package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeBench writes `go test -bench` output with one line per value.
func writeBench(t *testing.T, dir, name string, nsPerOp ...int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("goos: linux\npkg: example.com/x\n")
	for _, v := range nsPerOp {
		fmt.Fprintf(&b, "BenchmarkHandshake/jwt/cached-2 \t 100\t %d ns/op\n", v)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCompareCommand(t *testing.T) {
	dir := t.TempDir()
	base := writeBench(t, dir, "base.txt", 1000, 1010, 990, 1005, 995, 1002)
	same := writeBench(t, dir, "same.txt", 1003, 992, 1008, 997, 1001, 1006)
	slower := writeBench(t, dir, "slower.txt", 1300, 1310, 1290, 1305, 1295, 1302)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
	}{
		{name: "noise passes", args: []string{base, same, "--gate", "sec/op < +5%"}, wantOut: "~"},
		{name: "shift fails gate", args: []string{base, slower, "--gate", "sec/op < +5%"},
			wantCode: ExitThresholds, wantOut: "FAIL"},
		{name: "bad gate", args: []string{base, same, "--gate", "sec/op five"}, wantCode: ExitError},
		{name: "missing file", args: []string{base, filepath.Join(dir, "nope.txt")}, wantCode: ExitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			cmd := newCompareCmd()
			cmd.SetArgs(tt.args)
			cmd.SetOut(&out)
			cmd.SetErr(&out)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.Execute()
			code := 0
			var ee *exitError
			if errors.As(err, &ee) {
				code = ee.code
			} else if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d; err %v\n%s", code, tt.wantCode, err, out.String())
			}
			if !strings.Contains(out.String(), tt.wantOut) {
				t.Errorf("output lacks %q:\n%s", tt.wantOut, out.String())
			}
		})
	}
}
