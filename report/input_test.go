package report

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/internal/capacity"
	"github.com/gatecrash/gatecrash/internal/overhead"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/verifiers"
)

// fixedOverhead is an overhead table with a baseline and two variants.
func fixedOverhead() *overhead.Report {
	jwt := overhead.Variant{Method: verifiers.MethodJWT, Alg: "RS256"}
	cached := jwt
	cached.Cached = true
	row := func(v overhead.Variant, cpu, p99 time.Duration, hit float64) overhead.Row {
		base := 100 * time.Microsecond
		return overhead.Row{Variant: v, Started: 900, Accepted: 900, CPU: cpu, CPUDelta: cpu - base,
			CPUShare: float64(cpu-base) / float64(cpu), P50: p99 / 2, P99: p99, P99Delta: p99 - 800*time.Microsecond,
			HitRatio: hit, Rate: 300, MaxRate: 2 / cpu.Seconds()}
	}
	return &overhead.Report{Format: overhead.Format, SchemaVersion: overhead.SchemaVersion,
		Schedule: "open model, 300/s for 3s", Rounds: 3, Cores: 2, Rows: []overhead.Row{
			row(overhead.None, 100*time.Microsecond, 800*time.Microsecond, -1),
			row(jwt, 180*time.Microsecond, 1100*time.Microsecond, -1),
			row(cached, 110*time.Microsecond, 850*time.Microsecond, 0.97),
		}}
}

// fixedCapacity is a capacity search of five probes and a confirmation.
func fixedCapacity() *capacity.Report {
	step := func(k capacity.StepKind, rate, achieved float64, pass, sat bool) capacity.Step {
		return capacity.Step{Kind: k, Rate: rate, Duration: 2 * time.Second, Achieved: achieved, Passed: pass,
			Saturated: sat, Connect: results.Stats{P99: int64(rate * 100)},
			Verdicts: []results.ThresholdVerdict{{Expr: "p99(connect) < 50ms", Passed: pass, Actual: "x"}}}
	}
	return &capacity.Report{Format: capacity.Format, SchemaVersion: capacity.SchemaVersion, Scenario: "cap <x>",
		Target: "embedded reference server", Embedded: true, SLO: []string{"p99(connect) < 50ms"},
		Steps: []capacity.Step{step(capacity.KindStep, 100, 100, true, false),
			step(capacity.KindStep, 200, 199, true, false), step(capacity.KindStep, 400, 310, false, true),
			step(capacity.KindBisect, 300, 290, false, false), step(capacity.KindBisect, 250, 249, true, false),
			step(capacity.KindConfirm, 250, 250, true, false)},
		Sustainable: 250, Confirm: 2 * time.Second, Bound: 300, Cores: 2, PerCore: 125,
		Memory:      &capacity.Memory{Source: "RSS", Rate: 250, Sockets: 1000, PerSocket: 20480, PerGiB: 52428},
		Assumptions: []string{"linear in cores"}}
}

func writeJSON(t *testing.T, dir, name string, write func(string) error) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := write(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadInput(t *testing.T) {
	dir := t.TempDir()
	res := writeJSON(t, dir, "r.json", fixedResult(t, false).WriteFile)
	ovh := writeJSON(t, dir, "o.json", fixedOverhead().WriteFile)
	cpy := writeJSON(t, dir, "c.json", fixedCapacity().WriteFile)
	other := filepath.Join(dir, "x.json")
	os.WriteFile(other, []byte(`{"format":"k6"}`), 0o644)
	tests := []struct {
		name                      string
		paths                     []string
		wantRes, wantOvh, wantCap bool
		wantErr                   error
	}{
		{name: "all three", paths: []string{cpy, res, ovh}, wantRes: true, wantOvh: true, wantCap: true},
		{name: "overhead alone", paths: []string{ovh}, wantOvh: true},
		{name: "none", wantErr: ErrInput},
		{name: "unknown format", paths: []string{res, other}, wantErr: ErrInput},
		{name: "twice the same kind", paths: []string{cpy, cpy}, wantErr: ErrInput},
		{name: "missing file", paths: []string{filepath.Join(dir, "none.json")}, wantErr: os.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := ReadInput(tt.paths...)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil {
				return
			}
			got := [3]bool{in.Result != nil, in.Overhead != nil, in.Capacity != nil}
			if got != [3]bool{tt.wantRes, tt.wantOvh, tt.wantCap} {
				t.Errorf("got result %v, overhead %v, capacity %v", in.Result != nil, in.Overhead != nil,
					in.Capacity != nil)
			}
		})
	}
}

func TestHTMLWithOverheadAndCapacity(t *testing.T) {
	tests := []struct {
		name      string
		in        Input
		wantSVG   int
		wantBars  int // rect.bar elements: one per overhead variant per chart, one per probe
		wantTexts []string
	}{
		{name: "overhead alone", in: Input{Overhead: fixedOverhead()}, wantSVG: 2, wantBars: 6,
			wantTexts: []string{"<h1>gatecrash: authentication overhead</h1>", "jwt-rs256/cached", "97.0%"}},
		{name: "capacity alone", in: Input{Capacity: fixedCapacity()}, wantSVG: 1, wantBars: 6,
			wantTexts: []string{"sustainable rate: 250/s", "cap &lt;x&gt;", "linear in cores", "20.0 KiB"}},
		{name: "all three", in: Input{Result: fixedResult(t, false), Overhead: fixedOverhead(),
			Capacity: fixedCapacity()}, wantSVG: 6, wantBars: 12,
			wantTexts: []string{"Rejection-correctness matrix", "Authentication overhead", "<h2>Capacity</h2>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.in.HTML(&b); err != nil {
				t.Fatal(err)
			}
			page := b.String()
			if n := strings.Count(page, "<svg "); n != tt.wantSVG {
				t.Errorf("%d charts, want %d", n, tt.wantSVG)
			}
			if n := strings.Count(page, `class="bar"`); n != tt.wantBars {
				t.Errorf("%d bars, want %d", n, tt.wantBars)
			}
			for _, want := range tt.wantTexts {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			if regexp.MustCompile(`NaN|Inf|<script|<x>`).MatchString(page) {
				t.Error("a coordinate is not a number, or a script or raw text slipped in")
			}
		})
	}
	if err := (Input{}).HTML(&bytes.Buffer{}); !errors.Is(err, ErrInput) {
		t.Errorf("empty input: %v, want ErrInput", err)
	}
}

func TestMarkdownOverheadCapacityGolden(t *testing.T) {
	var b bytes.Buffer
	if err := (Input{Overhead: fixedOverhead(), Capacity: fixedCapacity()}).Markdown(&b); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "overhead_capacity.md", b.Bytes())
}
