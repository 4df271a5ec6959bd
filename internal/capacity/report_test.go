package capacity

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/results"
)

func sampleReport() *Report {
	r := &Report{Format: Format, SchemaVersion: SchemaVersion, Scenario: "s",
		Target: "embedded reference server", Embedded: true, Cores: 2, SLO: []string{"p99(connect) < 50ms"}}
	r.setOutcome(&Outcome{
		Steps: []Step{
			{Kind: KindStep, Rate: 100, Duration: time.Second, Passed: true,
				Verdicts: []results.ThresholdVerdict{{Expr: "p99(connect) < 50ms", Passed: true}}},
			{Kind: KindStep, Rate: 200, Duration: time.Second, Saturated: true, SaturationReason: "late",
				Verdicts: []results.ThresholdVerdict{{Expr: "p99(connect) < 50ms", Actual: "80ms"}}},
			{Kind: KindConfirm, Rate: 100, Duration: 3 * time.Second, Passed: true,
				CPUPerHandshake: 500 * time.Microsecond},
		},
		Sustainable: 100, Bound: 200, GeneratorLimited: true, GeneratorReason: "late",
	})
	r.Memory = &Memory{Source: "test", Sockets: 10, Baseline: 1000, Held: 11000,
		PerSocket: 1000, PerGiB: 1073741}
	r.Assumptions = r.assumptions()
	return r
}

func TestReportDerivedFigures(t *testing.T) {
	r := sampleReport()
	if r.PerCore != 50 || r.Confirm != 3*time.Second || r.CPUPerHandshake != 500*time.Microsecond {
		t.Errorf("per core %v, confirm %v, cpu %v; want 50, 3s, 500µs", r.PerCore, r.Confirm, r.CPUPerHandshake)
	}
	if len(r.Assumptions) != 4 {
		t.Errorf("assumptions %q, want cores, nodes, network and memory", r.Assumptions)
	}
}

func TestReportWrite(t *testing.T) {
	var b bytes.Buffer
	if err := sampleReport().Write(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"sustainable rate: 100/s", "failed at 200/s", "per core: 50/s over 2 cores",
		"FAIL p99(connect) < 50ms (80ms)", "generator, not necessarily the server, was the limit: late",
		"1073741 sockets per GiB", "1.0 KiB per held socket", "assumptions:"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
}

func TestReportFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cap.json")
	want := sampleReport()
	if err := want.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Steps) != 3 || got.Sustainable != 100 || got.Memory.PerSocket != 1000 || !got.GeneratorLimited {
		t.Errorf("read back %+v", got)
	}
	other := filepath.Join(dir, "results.json")
	os.WriteFile(other, []byte(`{"format":"gatecrash-results","schema_version":1}`), 0o644)
	if _, err := ReadFile(other); !errors.Is(err, ErrFormat) {
		t.Errorf("reading a results file: %v, want ErrFormat", err)
	}
}
