package compare

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

// noisy returns n values around center with uniform noise of ±spread.
func noisy(rng *rand.Rand, n int, center, spread float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = center + (rng.Float64()*2-1)*spread
	}
	return out
}

func setOf(label string, unit string, vs []float64) *Set {
	s := NewSet(label)
	for _, v := range vs {
		s.Add(Key{Name: "BenchmarkX", Unit: unit}, v)
	}
	return s
}

// TestCompareFindsShiftNotNoise runs many trials with fixed seeds: a real
// 20 % shift under ±5 % noise must be found (and fail a +10 % gate) in
// nearly every trial; two draws of the same distribution must be flagged
// about as rarely as alpha says, and never fail a +2 % gate they breach by
// noise alone more often than that.
func TestCompareFindsShiftNotNoise(t *testing.T) {
	const trials, n = 200, 8
	gates, err := ParseGates([]string{"sec/op < +10%"})
	if err != nil {
		t.Fatal(err)
	}
	tight, _ := ParseGates([]string{"sec/op < +2%"})
	var found, shiftFailed, flagged, noiseFailed int
	for i := range trials {
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		base := setOf("base", "sec/op", noisy(rng, n, 100, 5))
		shifted := setOf("new", "sec/op", noisy(rng, n, 120, 5))
		same := setOf("new", "sec/op", noisy(rng, n, 100, 5))

		r := Compare(base, shifted, Options{Gates: gates})
		if r.Rows[0].Significant && r.Rows[0].Worse() {
			found++
		}
		if !r.Passed {
			shiftFailed++
		}
		r = Compare(base, same, Options{Gates: tight})
		if r.Rows[0].Significant {
			flagged++
		}
		if !r.Passed {
			noiseFailed++
		}
	}
	if found < trials*95/100 || shiftFailed < trials*95/100 {
		t.Errorf("20%% shift found in %d/%d trials, gate failed in %d; want ≥95%%", found, trials, shiftFailed)
	}
	if flagged > trials/10 || noiseFailed > trials/10 {
		t.Errorf("noise flagged significant in %d/%d trials, gate failed in %d; want ≤10%%",
			flagged, trials, noiseFailed)
	}
}

func TestCompareTooFewRuns(t *testing.T) {
	gates, _ := ParseGates([]string{"p99(connect) < +10%", "false_accepts == 0"})
	base, next := NewSet("base"), NewSet("new")
	base.Add(Key{Name: RunName, Unit: "p99(connect)"}, 1000)
	next.Add(Key{Name: RunName, Unit: "p99(connect)"}, 1200)
	base.Add(Key{Name: RunName, Unit: "false_accepts"}, 0)
	next.Add(Key{Name: RunName, Unit: "false_accepts"}, 2)
	r := Compare(base, next, Options{Gates: gates})
	if r.Rows[0].Testable || r.Rows[0].Significant {
		t.Errorf("one run a side: testable=%v significant=%v, want neither", r.Rows[0].Testable, r.Rows[0].Significant)
	}
	if len(r.Gates) != 2 || r.Gates[0].Passed || r.Gates[1].Passed || r.Passed {
		t.Errorf("gates = %+v, want both failed on raw values", r.Gates)
	}
	if !strings.Contains(r.Gates[0].Note, "too few runs") {
		t.Errorf("note %q does not say the test was impossible", r.Gates[0].Note)
	}
}

func TestCompareGateWithoutMetricFails(t *testing.T) {
	gates, _ := ParseGates([]string{"handshakes/s > -5%"})
	r := Compare(setOf("a", "sec/op", []float64{1}), setOf("b", "sec/op", []float64{1}), Options{Gates: gates})
	if r.Passed || len(r.Gates) != 1 || r.Gates[0].Passed {
		t.Errorf("a gate on an absent metric passed: %+v", r.Gates)
	}
}

func TestParseGate(t *testing.T) {
	tests := []struct {
		name         string
		expr         string
		wantUnit     string
		wantOp       string
		wantLimit    float64
		wantRelative bool
		wantErr      bool
	}{
		{name: "relative growth", expr: "p99(connect) < +10%", wantUnit: "p99(connect)", wantOp: "<",
			wantLimit: 0.10, wantRelative: true},
		{name: "relative fall", expr: "handshakes/s >= -5%", wantUnit: "handshakes/s", wantOp: ">=",
			wantLimit: -0.05, wantRelative: true},
		{name: "absolute count", expr: "false_accepts == 0", wantUnit: "false_accepts", wantOp: "=="},
		{name: "absolute percent", expr: "error_rate < 1%", wantUnit: "error_rate", wantOp: "<",
			wantLimit: 0.01},
		{name: "no operator", expr: "p99(connect) 10%", wantErr: true},
		{name: "no limit", expr: "p99(connect) <", wantErr: true},
		{name: "no metric", expr: "< 3", wantErr: true},
		{name: "bad number", expr: "sec/op < +ten%", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := ParseGate(tt.expr)
			if tt.wantErr {
				if !errors.Is(err, ErrGate) {
					t.Fatalf("err = %v, want ErrGate", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if g.Unit != tt.wantUnit || g.Op != tt.wantOp || g.Limit != tt.wantLimit || g.Relative != tt.wantRelative {
				t.Errorf("got %+v", g)
			}
		})
	}
}
