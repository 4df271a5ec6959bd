package compare

import (
	"fmt"
	"math"
	"slices"

	"golang.org/x/perf/benchmath"
)

// DefaultAlpha is the significance level: a difference counts when the
// Mann-Whitney U test's p-value is under it.
const DefaultAlpha = 0.05

// Options configure Compare. The zero value uses DefaultAlpha and no gates.
type Options struct {
	// Alpha is the significance level; zero means DefaultAlpha.
	Alpha float64
	// Gates are the rules the comparison must pass.
	Gates []Gate
}

// Row is one metric compared.
type Row struct {
	Key
	// Base and New summarise each side: the median and its 95 % confidence
	// interval.
	Base, New benchmath.Summary
	// Delta is (new - base) / base of the medians; ±Inf when base is zero
	// and new is not.
	Delta float64
	// Comparison is benchmath's test: p-value, sample sizes, warnings.
	Comparison benchmath.Comparison
	// Significant says P < Alpha: the difference is real at that level.
	Significant bool
	// Testable says the sample sizes allow a p-value under Alpha at all
	// (at least 4 runs a side at 0.05); with fewer, no difference can be
	// significant, and relative gates read the raw medians instead.
	Testable bool
}

// Worse says the difference is significant and in the bad direction for
// the unit (see HigherIsBetter).
func (r Row) Worse() bool {
	if !r.Significant || r.Delta == 0 {
		return false
	}
	return (r.Delta > 0) != HigherIsBetter(r.Unit)
}

// GateVerdict is one gate applied to one metric.
type GateVerdict struct {
	Gate string `json:"gate"`
	Key  Key    `json:"key"`
	// Passed says the gate held.
	Passed bool `json:"passed"`
	// Value is what the gate read: the relative change, or the worst new
	// value.
	Value float64 `json:"value"`
	// Note says why a failure counted or a breach did not ("not
	// significant", "too few runs to test: raw medians").
	Note string `json:"note,omitempty"`
}

// Report is a comparison of a new Set against a base Set.
type Report struct {
	Base, New string
	Alpha     float64
	Rows      []Row
	// Missing lists metrics of the base that the new set lacks.
	Missing []Key
	Gates   []GateVerdict
	// Passed says every gate held.
	Passed bool
}

// Compare tests every metric of base that next also has, in base's order,
// and applies opts.Gates. It does not modify its inputs.
func Compare(base, next *Set, opts Options) *Report {
	alpha := opts.Alpha
	if alpha <= 0 {
		alpha = DefaultAlpha
	}
	thr := &benchmath.Thresholds{CompareAlpha: alpha}
	rep := &Report{Base: base.Label, New: next.Label, Alpha: alpha, Passed: true}
	for _, k := range base.Keys {
		nv, ok := next.Values[k]
		if !ok {
			rep.Missing = append(rep.Missing, k)
			continue
		}
		rep.Rows = append(rep.Rows, compareOne(k, base.Values[k], nv, thr))
	}
	for _, g := range opts.Gates {
		vs := applyGate(g, rep.Rows, next)
		if len(vs) == 0 {
			vs = []GateVerdict{{Gate: g.Expr, Key: Key{Unit: g.Unit}, Note: "no such metric in both sets"}}
		}
		rep.Gates = append(rep.Gates, vs...)
	}
	for _, v := range rep.Gates {
		rep.Passed = rep.Passed && v.Passed
	}
	return rep
}

func compareOne(k Key, bv, nv []float64, thr *benchmath.Thresholds) Row {
	// NewSample sorts its values in place: give it copies.
	s1 := benchmath.NewSample(slices.Clone(bv), thr)
	s2 := benchmath.NewSample(slices.Clone(nv), thr)
	a := benchmath.AssumeNothing
	r := Row{Key: k, Base: a.Summary(s1, 0.95), New: a.Summary(s2, 0.95), Comparison: a.Compare(s1, s2)}
	r.Delta = relDelta(r.Base.Center, r.New.Center)
	r.Testable = minPValue(len(bv), len(nv)) < thr.CompareAlpha
	r.Significant = r.Testable && r.Comparison.P < thr.CompareAlpha
	return r
}

func relDelta(base, next float64) float64 {
	switch {
	case base == next:
		return 0
	case base == 0:
		return math.Copysign(math.Inf(1), next)
	}
	return (next - base) / math.Abs(base)
}

// minPValue is the smallest two-sided p-value the exact Mann-Whitney U test
// can give for samples of n1 and n2 values: 2 / C(n1+n2, n1).
func minPValue(n1, n2 int) float64 {
	if n1 == 0 || n2 == 0 {
		return 1
	}
	lg := func(n int) float64 { v, _ := math.Lgamma(float64(n) + 1); return v }
	return math.Min(1, 2/math.Exp(lg(n1+n2)-lg(n1)-lg(n2)))
}

// applyGate checks g against every row (relative) or every new value
// (absolute) of its unit.
func applyGate(g Gate, rows []Row, next *Set) []GateVerdict {
	var out []GateVerdict
	if !g.Relative {
		for _, k := range next.Keys {
			if k.Unit != g.Unit {
				continue
			}
			worst, ok := worstValue(g, next.Values[k])
			out = append(out, GateVerdict{Gate: g.Expr, Key: k, Passed: ok, Value: worst})
		}
		return out
	}
	for _, r := range rows {
		if r.Unit != g.Unit {
			continue
		}
		v := GateVerdict{Gate: g.Expr, Key: r.Key, Value: r.Delta, Passed: g.holds(r.Delta)}
		switch {
		case v.Passed:
		case !r.Testable:
			v.Note = fmt.Sprintf("too few runs to test (n=%d+%d): raw medians", r.Comparison.N1, r.Comparison.N2)
		case !r.Significant:
			v.Passed, v.Note = true, fmt.Sprintf("breach not significant (p=%.3f)", r.Comparison.P)
		}
		out = append(out, v)
	}
	return out
}

// worstValue returns the first value that breaks g, or the last value when
// none does.
func worstValue(g Gate, vs []float64) (float64, bool) {
	for _, v := range vs {
		if !g.holds(v) {
			return v, false
		}
	}
	if len(vs) == 0 {
		return 0, false
	}
	return vs[len(vs)-1], true
}
