package report

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/gatecrash/gatecrash/results"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixedResult records a deterministic run: a fixed clock, seeded samples,
// good and bad kinds on two namespaces, one false accept when bad is set.
func fixedResult(t *testing.T, bad bool) *results.Result {
	t.Helper()
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	now := start
	th, err := results.ParseThresholds([]string{"p99(connect) < 5ms", "error_rate < 1%"})
	if err != nil {
		t.Fatal(err)
	}
	rec := results.NewRecorder(results.Options{Thresholds: th, Now: func() time.Time { return now }})
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := []struct {
		kind   string
		expect results.Expect
	}{{"jwt", results.ExpectAccept}, {"jwt-expired", results.ExpectReject}, {"a|<b>", results.ExpectReject}}
	for i := range 600 {
		k := kinds[i%len(kinds)]
		s := results.Sample{Offset: time.Duration(i) * 5 * time.Millisecond, Namespace: []string{"/", "/admin"}[i%2],
			Kind: k.kind, Expect: k.expect, ConnFirst: true}
		s.Outcome, s.Code = results.OutcomeRejected, "expired"
		if k.expect == results.ExpectAccept || (bad && i == 5) {
			s.Outcome, s.Code, s.IdentityChecked, s.IdentityOK = results.OutcomeAccepted, "", true, true
		}
		c := time.Duration(300+rng.IntN(3000)) * time.Microsecond
		s.Phases[results.PhaseDial] = time.Duration(80+rng.IntN(100)) * time.Microsecond
		s.Phases[results.PhaseConnect] = c
		s.Phases[results.PhaseService] = c + 500*time.Microsecond
		s.Phases[results.PhaseTotal] = c + 600*time.Microsecond
		rec.Record(s)
	}
	now = start.Add(3 * time.Second)
	return rec.Finish(results.Meta{Scenario: "golden", Target: "embedded http://127.0.0.1:1",
		Start: start, End: now, Env: results.Environment{GatecrashVersion: "test", GoVersion: "go1.26", NumCPU: 2}})
}

func TestMarkdownGolden(t *testing.T) {
	tests := []struct {
		name   string
		bad    bool
		lag    bool
		golden string
	}{
		{name: "passed", golden: "passed.md"},
		{name: "security failure", bad: true, golden: "security_failure.md"},
		{name: "revocation lag", lag: true, golden: "revocation_lag.md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fixedResult(t, tt.bad)
			if tt.lag {
				r.Revocation = fixedLag()
			}
			var b bytes.Buffer
			if err := Markdown(&b, r); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.golden, b.Bytes())
		})
	}
}

// fixedLag is a revocation lag: server 0 rejects and disconnects at once,
// server 1 rejects at its cache's TTL and disconnects nothing.
func fixedLag() *results.RevocationLag {
	hist := func(ms ...int64) *hdr.Histogram {
		c := results.DefaultHistogramConfig()
		h := hdr.New(c.LowestUS, c.HighestUS, c.SignificantFigures)
		for _, v := range ms {
			_ = h.RecordValue(v * 1000)
		}
		return h
	}
	return &results.RevocationLag{Revoked: 3, ProbeEvery: 5 * time.Millisecond, Rows: []results.LagRow{
		{Server: 0, Namespace: "/api", Rejection: results.LagData(hist(2, 3, 9)),
			Disconnect: results.LagData(hist(1, 1, 2))},
		{Server: 1, Namespace: "/api", Rejection: results.LagData(hist(950, 950, 1900)), NotDisconnected: 3},
	}}
}

// checkGolden compares got with testdata/name, or rewrites the file under
// -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (go test -update to accept):\n%s", path, got)
	}
}

func TestHTMLSelfContained(t *testing.T) {
	var b bytes.Buffer
	if err := HTML(&b, fixedResult(t, true)); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	tests := []struct {
		name    string
		pattern string
		want    int // -1: at least one
	}{
		{name: "three charts", pattern: `<svg `, want: 3},
		{name: "a line per phase in the spectrum", pattern: `class="series"`, want: -1},
		{name: "no script", pattern: `(?i)<script`, want: 0},
		{name: "no fetch", pattern: `(?i)(src|href)=|url\(|@import`, want: 0},
		{name: "only the SVG namespace is a URL attribute", pattern: `="https?://`, want: 3},
		{name: "hostile kind escaped", pattern: `a\|&lt;b&gt;`, want: -1},
		{name: "hostile kind never raw", pattern: `<b>`, want: 0},
		{name: "security failure shown", pattern: `FAILED \(1 false accepts`, want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := len(regexp.MustCompile(tt.pattern).FindAllString(page, -1))
			if (tt.want < 0 && n == 0) || (tt.want >= 0 && n != tt.want) {
				t.Errorf("%q found %d times, want %d", tt.pattern, n, tt.want)
			}
		})
	}
	if strings.Contains(page, "NaN") || strings.Contains(page, "Inf") {
		t.Error("a chart coordinate is not a number")
	}
}
