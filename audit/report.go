package audit

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Report is what an audit found: every check, in plan order.
type Report struct {
	// Target is the audited URL.
	Target string `json:"target"`
	// Started is when the checks began; Duration how long they took.
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration_ns"`
	// Handshakes counts the Engine.IO sessions opened.
	Handshakes int `json:"handshakes"`
	// Checks are the checks run, passed, failed and skipped.
	Checks []Check `json:"checks"`
}

// Findings returns the failed checks, most severe first (then by case,
// namespace and transport). The checks are copies.
func (r *Report) Findings() []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Verdict == VerdictFail {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b Check) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), strings.Compare(a.Case, b.Case),
			strings.Compare(a.Namespace, b.Namespace), strings.Compare(string(a.Transport), string(b.Transport)))
	})
	return out
}

// Max returns the highest severity found, SeverityNone when nothing failed.
func (r *Report) Max() Severity {
	m := SeverityNone
	for _, c := range r.Checks {
		if c.Verdict == VerdictFail {
			m = max(m, c.Severity)
		}
	}
	return m
}

// Tally counts checks by verdict and failures by severity.
type Tally struct {
	Passed, Failed, Skipped int
	BySeverity              map[Severity]int
}

// Tally counts the report's checks.
func (r *Report) Tally() Tally {
	t := Tally{BySeverity: map[Severity]int{}}
	for _, c := range r.Checks {
		switch c.Verdict {
		case VerdictPass:
			t.Passed++
		case VerdictFail:
			t.Failed++
			t.BySeverity[c.Severity]++
		default:
			t.Skipped++
		}
	}
	return t
}

// FindingGroup is the failed checks that share a severity, a case, a
// namespace and an explanation: one hole seen through several credentials
// or transports.
type FindingGroup struct {
	Severity   Severity
	Case       string
	Namespace  string
	Finding    string
	Kinds      []string
	Transports []Transport
	// Checks are the group's checks; the first one's evidence stands for
	// the rest.
	Checks []Check
}

// Groups returns the findings grouped, most severe first.
func (r *Report) Groups() []FindingGroup {
	var out []FindingGroup
	index := map[string]int{}
	for _, c := range r.Findings() {
		key := c.Severity.String() + "\x00" + c.Case + "\x00" + c.Namespace + "\x00" + c.Finding
		i, ok := index[key]
		if !ok {
			i = len(out)
			index[key] = i
			out = append(out, FindingGroup{Severity: c.Severity, Case: c.Case, Namespace: c.Namespace,
				Finding: c.Finding})
		}
		g := &out[i]
		g.Checks = append(g.Checks, c)
		if c.Kind != "" && !slices.Contains(g.Kinds, c.Kind) {
			g.Kinds = append(g.Kinds, c.Kind)
		}
		if !slices.Contains(g.Transports, c.Transport) {
			g.Transports = append(g.Transports, c.Transport)
		}
	}
	return out
}
