package results

import (
	"fmt"
	"time"
)

// Evaluate checks the threshold against r. A latency threshold with no
// value to read fails with NoData set; a rate over a run of zero duration
// also has no data. Latency values are HDR's: the highest value equivalent
// to the recorded one at the histograms' precision (within 1% by default),
// so a bound tighter than that precision can fail by the quantisation alone.
func (t Threshold) Evaluate(r *Result) ThresholdVerdict {
	v := ThresholdVerdict{Expr: t.Expr}
	value, ok := t.measure(r)
	if !ok {
		v.NoData, v.Actual = true, "no data"
		return v
	}
	v.Value, v.Actual = value, t.format(value)
	v.Passed = compare(value, t.Op, t.Limit)
	return v
}

func compare(a float64, op string, b float64) bool {
	switch op {
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case ">=":
		return a >= b
	case "==":
		return a == b
	}
	return false
}

func (t Threshold) measure(r *Result) (float64, bool) {
	switch t.Kind {
	case MetricLatency:
		h := r.phaseHistogram(t.Phase, t.Filter)
		if h == nil || h.Count() == 0 {
			return 0, false
		}
		switch t.Agg {
		case "min":
			return float64(h.h.Min()), true
		case "max":
			return float64(h.h.Max()), true
		case "mean":
			return h.h.Mean(), true
		}
		return float64(h.h.ValueAtPercentile(t.Percentile)), true
	case MetricRatio:
		n, total := r.countWhere(t.Filter, ratioVerdicts(t.Select))
		if total == 0 {
			return 0, false
		}
		return float64(n) / float64(total), true
	case MetricRate:
		if r.Meta.Duration <= 0 {
			return 0, false
		}
		n, _ := r.countWhere(t.Filter, t.selects)
		return float64(n) / r.Meta.Duration.Seconds(), true
	case MetricCount:
		n, _ := r.countWhere(t.Filter, t.selects)
		return float64(n), true
	}
	return 0, false
}

// ratioVerdicts returns the predicate of a ratio's numerator.
func ratioVerdicts(name string) func(Outcome, Verdict) bool {
	return func(_ Outcome, v Verdict) bool {
		switch name {
		case "false_reject_rate":
			return v == VerdictFalseReject
		case "no_answer_rate":
			return v == VerdictNoAnswer
		}
		return v != VerdictOK
	}
}

// selects reports whether a sample with this outcome and verdict is counted
// by a rate or count threshold.
func (t Threshold) selects(o Outcome, v Verdict) bool {
	return t.Select == "all" || string(o) == t.Select || string(v) == t.Select
}

// countWhere counts the samples of the cells f selects for which pred holds,
// and all samples of those cells.
func (r *Result) countWhere(f Filter, pred func(Outcome, Verdict) bool) (n, total int64) {
	for _, c := range r.Cells {
		if !f.matches(c) {
			continue
		}
		total += c.Count
		for v, k := range cellVerdicts(c) {
			if pred(c.Outcome, v) {
				n += k
			}
		}
	}
	return n, total
}

func (t Threshold) format(v float64) string {
	switch t.Kind {
	case MetricLatency:
		return formatMicros(int64(v))
	case MetricRatio:
		return fmt.Sprintf("%.2f%%", v*100)
	case MetricRate:
		return fmt.Sprintf("%.1f/s", v)
	}
	return fmt.Sprintf("%d", int64(v))
}

// formatMicros renders microseconds for people: 850µs, 3.12ms, 1.50s.
func formatMicros(us int64) string {
	d := time.Duration(us) * time.Microsecond
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", us)
	case d < time.Second:
		return fmt.Sprintf("%.2fms", float64(us)/1e3)
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}
