package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/internal/capacity"
	"github.com/gatecrash/gatecrash/internal/overhead"
	"github.com/gatecrash/gatecrash/results"
)

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	rec := results.NewRecorder(results.Options{})
	s := results.Sample{Namespace: "/", Kind: "jwt", Expect: results.ExpectAccept,
		Outcome: results.OutcomeAccepted, ConnFirst: true}
	s.Phases[results.PhaseConnect] = time.Millisecond
	rec.Record(s)
	in := filepath.Join(dir, "r.json")
	if err := rec.Finish(results.Meta{Scenario: "cli"}).WriteFile(in); err != nil {
		t.Fatal(err)
	}
	ovh, cpy := filepath.Join(dir, "o.json"), filepath.Join(dir, "c.json")
	o := &overhead.Report{Format: overhead.Format, SchemaVersion: overhead.SchemaVersion,
		Rows: []overhead.Row{{Variant: overhead.None, CPU: time.Millisecond}}}
	c := &capacity.Report{Format: capacity.Format, SchemaVersion: capacity.SchemaVersion, Scenario: "cli",
		Steps: []capacity.Step{{Kind: capacity.KindStep, Rate: 10, Passed: true}}, Sustainable: 10}
	if err := o.WriteFile(ovh); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteFile(cpy); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		file     string
		wantText string
		wantErr  bool
	}{
		{name: "markdown to stdout", args: []string{in}, wantText: "## gatecrash: cli"},
		{name: "html by extension", args: []string{in, "-o", filepath.Join(dir, "r.html")},
			file: filepath.Join(dir, "r.html"), wantText: "<!DOCTYPE html>"},
		{name: "hdr log", args: []string{in, "--hdr-log", filepath.Join(dir, "r.hlog")},
			file: filepath.Join(dir, "r.hlog"), wantText: "#[Histogram log format version 1.3]"},
		{name: "with overhead and capacity", args: []string{in, ovh, cpy, "-o", filepath.Join(dir, "all.html")},
			file: filepath.Join(dir, "all.html"), wantText: "<h2>Capacity</h2>"},
		{name: "capacity markdown", args: []string{cpy}, wantText: "## gatecrash: capacity of cli"},
		{name: "hdr log needs a result", args: []string{cpy, "--hdr-log", filepath.Join(dir, "x.hlog")},
			wantErr: true},
		{name: "bad format", args: []string{in, "--format", "pdf"}, wantErr: true},
		{name: "missing input", args: []string{filepath.Join(dir, "none.json")}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			cmd := newReportCmd()
			cmd.SetArgs(tt.args)
			cmd.SetOut(&out)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.Execute()
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			got := out.String()
			if tt.file != "" {
				b, err := os.ReadFile(tt.file)
				if err != nil {
					t.Fatal(err)
				}
				got = string(b)
			}
			if !strings.Contains(got, tt.wantText) {
				t.Errorf("output lacks %q:\n%.300s", tt.wantText, got)
			}
		})
	}
}
