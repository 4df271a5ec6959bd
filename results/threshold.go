package results

import (
	"fmt"
	"strings"
)

// MetricKind is what a threshold measures.
type MetricKind int

// The metric kinds.
const (
	// MetricLatency is an aggregate of a phase's latency: pNN(phase), min,
	// max, mean. Its limit is a duration.
	MetricLatency MetricKind = iota + 1
	// MetricRatio is a fraction of samples: error_rate (any verdict but
	// ok), false_reject_rate, no_answer_rate. Its limit is "1%" or "0.01".
	MetricRatio
	// MetricRate is samples per second of the run: rate(accepted). Its
	// limit is "100/s".
	MetricRate
	// MetricCount is a number of samples: count(timeout). Its limit is an
	// integer.
	MetricCount
)

// Threshold is one parsed threshold expression, such as "p99(connect) <
// 200ms". Build it with ParseThreshold.
type Threshold struct {
	// Expr is the expression as written.
	Expr string
	Kind MetricKind
	// Agg is the latency aggregate: "p", "min", "max" or "mean";
	// Percentile is the percentile for "p" (99 for p99, 99.9 for p99.9).
	Agg        string
	Percentile float64
	// Phase is the latency metric's phase.
	Phase Phase
	// Select is the ratio's name, or what a rate or count counts: an
	// outcome, a verdict or "all".
	Select string
	// Filter narrows the samples the metric reads.
	Filter Filter
	// Op is the comparison: "<", "<=", ">", ">=" or "==".
	Op string
	// Limit is the bound: microseconds for latency, a fraction for ratios,
	// per second for rates, a count for counts.
	Limit float64
}

// ThresholdError is a threshold expression that does not parse. Offset is
// the byte offset in Expr where the problem is, so a scenario can point at
// the column.
type ThresholdError struct {
	Expr   string
	Offset int
	Msg    string
}

// Error describes the problem and its position (1-based).
func (e *ThresholdError) Error() string {
	return fmt.Sprintf("threshold %q: %s (at character %d)", e.Expr, e.Msg, e.Offset+1)
}

// Unwrap returns ErrThreshold.
func (e *ThresholdError) Unwrap() error { return ErrThreshold }

// String returns the expression as written.
func (t Threshold) String() string { return t.Expr }

// ThresholdVerdict is the outcome of one threshold.
type ThresholdVerdict struct {
	Expr   string `json:"expr"`
	Passed bool   `json:"passed"`
	// Value is the measured figure, in the limit's unit (microseconds,
	// fraction, per second or count).
	Value float64 `json:"value"`
	// Actual is Value formatted for people ("3.2ms", "0.41%").
	Actual string `json:"actual"`
	// NoData says nothing was there to measure (no sample reached the
	// phase); such a threshold fails, since it checked nothing.
	NoData bool `json:"no_data,omitempty"`
}

// ParseThresholds parses several expressions and returns the first error.
func ParseThresholds(exprs []string) ([]Threshold, error) {
	out := make([]Threshold, 0, len(exprs))
	for _, e := range exprs {
		t, err := ParseThreshold(e)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

var ratioNames = []string{"error_rate", "false_reject_rate", "no_answer_rate"}

// isSelectable reports whether name can be counted by rate() and count().
func isSelectable(name string) bool {
	if name == "all" {
		return true
	}
	for _, o := range Outcomes() {
		if string(o) == name {
			return true
		}
	}
	for _, v := range verdictOrder {
		if string(v) == name {
			return true
		}
	}
	return false
}

func selectableNames() string {
	names := []string{"all"}
	for _, o := range Outcomes() {
		names = append(names, string(o))
	}
	for _, v := range verdictOrder {
		names = append(names, string(v))
	}
	return strings.Join(names, ", ")
}
