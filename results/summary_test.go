package results

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func summaryResult(t *testing.T, insecure bool) *Result {
	t.Helper()
	ths, err := ParseThresholds([]string{"p99(connect) < 50ms", "error_rate < 10%", "rate(accepted) > 5/s"})
	if err != nil {
		t.Fatal(err)
	}
	clk := newFakeClock()
	rec := NewRecorder(Options{Now: clk.Now, Thresholds: ths})
	for _, s := range genSamples(11, 400) {
		s.IdentityOK = s.IdentityOK || !insecure
		rec.Record(s)
	}
	if insecure {
		for range 3 {
			rec.Record(Sample{Namespace: "/admin", Kind: "missing", Expect: ExpectReject,
				Outcome: OutcomeAccepted, ConnFirst: true, Phases: phases(ms(1), ms(2))})
		}
	}
	clk.Add(10 * time.Second)
	meta := Meta{
		Scenario: "quickstart", Target: "embedded http://127.0.0.1:40000/socket.io/",
		Env: Environment{GatecrashVersion: "devel", GoVersion: "go1.26", OS: "linux", Arch: "amd64",
			GOMAXPROCS: 2, NumCPU: 2, CPUModel: "Test CPU"},
		Generator: GeneratorReport{Planned: 420, Started: 400, Dropped: 20, Saturated: insecure},
	}
	if insecure {
		meta.Incomplete, meta.IncompleteReason = true, "interrupted (Ctrl-C)"
	}
	return rec.Finish(meta)
}

func TestWriteSummaryGolden(t *testing.T) {
	tests := []struct {
		name     string
		insecure bool
	}{
		{name: "passed", insecure: false},
		{name: "security_failure_incomplete", insecure: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteSummary(&b, summaryResult(t, tt.insecure)); err != nil {
				t.Fatal(err)
			}
			golden(t, "summary_"+tt.name+".txt", b.Bytes())
		})
	}
}
