package results

import (
	"cmp"
	"slices"
	"strings"
)

// derive computes the derived parts of r from its cells and intervals: the
// figures beside each histogram, the per-phase figures, the matrix, the
// security verdict and the threshold verdicts.
func (r *Result) derive(thresholds []Threshold) {
	for _, c := range r.Cells {
		for _, pd := range c.Phases {
			pd.Stats = pd.Histogram.Stats()
		}
	}
	for _, iv := range r.Intervals {
		if iv.Total != nil {
			iv.Total.Stats = iv.Total.Histogram.Stats()
		}
	}
	r.Phases = make(map[string]Stats)
	for p := range NumPhases {
		if h := r.phaseHistogram(p, Filter{}); h != nil {
			r.Phases[p.String()] = h.Stats()
		}
	}
	r.Matrix = buildMatrix(r.Cells)
	r.Security = securityVerdict(r.Matrix)
	r.Thresholds = make([]ThresholdVerdict, 0, len(thresholds))
	r.ThresholdsPassed = true
	for _, t := range thresholds {
		v := t.Evaluate(r)
		r.ThresholdsPassed = r.ThresholdsPassed && v.Passed
		r.Thresholds = append(r.Thresholds, v)
	}
}

// phaseHistogram merges the histograms of phase p over the cells f selects;
// nil when none has a value.
func (r *Result) phaseHistogram(p Phase, f Filter) *Histogram {
	var sum *Histogram
	for _, c := range r.Cells {
		pd := c.Phases[p.String()]
		if pd == nil || !f.matches(c) {
			continue
		}
		if sum == nil {
			sum = pd.Histogram.clone()
			continue
		}
		sum.merge(pd.Histogram)
	}
	return sum
}

// cellVerdicts splits a cell's count by verdict.
func cellVerdicts(c Cell) map[Verdict]int64 {
	m := make(map[Verdict]int64)
	if c.Outcome == OutcomeAccepted && c.Expect != ExpectReject {
		if c.IdentityMismatches > 0 {
			m[VerdictIdentityMismatch] = c.IdentityMismatches
		}
		if ok := c.Count - c.IdentityMismatches; ok > 0 {
			m[VerdictOK] = ok
		}
		return m
	}
	if c.Count > 0 {
		m[Classify(c.Expect, c.Outcome, false, false)] = c.Count
	}
	return m
}

func buildMatrix(cells []Cell) []MatrixRow {
	type key struct {
		ns, kind string
		expect   Expect
	}
	rows := make(map[key]*MatrixRow)
	for _, c := range cells {
		k := key{c.Namespace, c.Kind, c.Expect}
		row := rows[k]
		if row == nil {
			row = &MatrixRow{
				Namespace: c.Namespace, Kind: c.Kind, Expect: c.Expect,
				Outcomes: make(map[Outcome]int64), Verdicts: make(map[Verdict]int64),
			}
			rows[k] = row
		}
		row.Total += c.Count
		row.Outcomes[c.Outcome] += c.Count
		for code, n := range c.Codes {
			if row.Codes == nil {
				row.Codes = make(map[string]int64)
			}
			row.Codes[string(c.Outcome)+":"+code] += n
		}
		for v, n := range cellVerdicts(c) {
			row.Verdicts[v] += n
		}
	}
	out := make([]MatrixRow, 0, len(rows))
	for _, row := range rows {
		row.Verdict = VerdictOK
		for _, v := range verdictOrder {
			if row.Verdicts[v] > 0 {
				row.Verdict = v
				break
			}
		}
		out = append(out, *row)
	}
	slices.SortFunc(out, func(a, b MatrixRow) int {
		return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Expect, b.Expect))
	})
	return out
}

func securityVerdict(matrix []MatrixRow) SecurityVerdict {
	s := SecurityVerdict{Passed: true}
	for _, row := range matrix {
		for _, v := range []Verdict{VerdictFalseAccept, VerdictIdentityMismatch} {
			n := row.Verdicts[v]
			if n == 0 {
				continue
			}
			s.Passed = false
			if v == VerdictFalseAccept {
				s.FalseAccepts += n
			} else {
				s.IdentityMismatches += n
			}
			s.Findings = append(s.Findings, Finding{Namespace: row.Namespace, Kind: row.Kind, Verdict: v, Count: n})
		}
	}
	return s
}

// Filter selects cells by namespace, kind and outcome; an empty field
// matches everything.
type Filter struct {
	Namespace string
	Kind      string
	Outcome   Outcome
}

func (f Filter) matches(c Cell) bool {
	return (f.Namespace == "" || f.Namespace == c.Namespace) &&
		(f.Kind == "" || f.Kind == c.Kind) &&
		(f.Outcome == "" || f.Outcome == c.Outcome)
}

// String renders the filter as threshold arguments (", ns=/admin").
func (f Filter) String() string {
	var b strings.Builder
	if f.Namespace != "" {
		b.WriteString(", ns=" + f.Namespace)
	}
	if f.Kind != "" {
		b.WriteString(", kind=" + f.Kind)
	}
	if f.Outcome != "" {
		b.WriteString(", outcome=" + string(f.Outcome))
	}
	return b.String()
}
