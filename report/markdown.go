package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gatecrash/gatecrash/results"
)

// Markdown writes r as Markdown for a pull-request comment: the verdicts,
// the run, latency per phase, the rejection-correctness matrix and the
// thresholds.
func Markdown(w io.Writer, r *results.Result) error {
	return Input{Result: r}.Markdown(w)
}

// Markdown writes the input as Markdown: the run's sections when there is a
// result, then the overhead table, then the capacity search.
func (in Input) Markdown(w io.Writer) error {
	if in.empty() {
		return fmt.Errorf("%w: nothing to report", ErrInput)
	}
	var b strings.Builder
	if in.Result != nil {
		writeResultMD(&b, in.Result)
	}
	if in.Overhead != nil {
		writeOverheadMD(&b, in.Overhead)
	}
	if in.Capacity != nil {
		writeCapacityMD(&b, in.Capacity)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// writeResultMD writes a run's verdicts, figures, matrix, revocation lag
// and thresholds.
func writeResultMD(b *strings.Builder, r *results.Result) {
	fmt.Fprintf(b, "## gatecrash: %s\n\n", mdEscape(r.Meta.Scenario))
	fmt.Fprintf(b, "**%s** · security **%s**", verdictWord(r.ThresholdsPassed, "thresholds passed",
		"thresholds failed"), verdictWord(r.Security.Passed, "passed", "FAILED"))
	if r.Meta.Incomplete {
		fmt.Fprintf(b, " · **incomplete** (%s)", mdEscape(r.Meta.IncompleteReason))
	}
	b.WriteString("\n\n")
	writeRunMD(b, r)
	writePhasesMD(b, r)
	writeMatrixMD(b, r)
	writeLagMD(b, r)
	writeThresholdsMD(b, r)
}

func writeRunMD(b *strings.Builder, r *results.Result) {
	m := r.Meta
	fmt.Fprintf(b, "| target | duration | handshakes | samples | late | dropped |\n|---|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(b, "| %s | %s | %d | %d | %d | %d |\n\n", mdEscape(m.Target), m.Duration.Round(time.Millisecond),
		r.Counters.Connections, r.Counters.Samples, m.Generator.Late, m.Generator.Dropped)
	if m.Generator.Saturated {
		b.WriteString("> The generator could not keep its schedule: latencies include its own delay.\n\n")
	}
}

func writePhasesMD(b *strings.Builder, r *results.Result) {
	b.WriteString("### Latency by phase\n\n| phase | count | p50 | p90 | p99 | p99.9 | max |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|\n")
	for p := results.Phase(0); p < results.NumPhases; p++ {
		s, ok := r.Phases[p.String()]
		if !ok || s.Count == 0 {
			continue
		}
		fmt.Fprintf(b, "| %s | %d | %s | %s | %s | %s | %s |\n", p, s.Count, usString(s.P50),
			usString(s.P90), usString(s.P99), usString(s.P999), usString(s.Max))
	}
	b.WriteString("\n")
}

func writeMatrixMD(b *strings.Builder, r *results.Result) {
	b.WriteString("### Rejection-correctness matrix\n\n| namespace | kind | expect | total | outcomes | verdict |\n")
	b.WriteString("|---|---|---|---:|---|---|\n")
	for _, row := range r.Matrix {
		fmt.Fprintf(b, "| `%s` | %s | %s | %d | %s | %s |\n", row.Namespace, mdEscape(row.Kind), row.Expect,
			row.Total, outcomeList(row), verdictCell(row.Verdict))
	}
	b.WriteString("\n")
}

func writeThresholdsMD(b *strings.Builder, r *results.Result) {
	if len(r.Thresholds) == 0 {
		return
	}
	b.WriteString("### Thresholds\n\n| threshold | actual | |\n|---|---:|---|\n")
	for _, t := range r.Thresholds {
		fmt.Fprintf(b, "| `%s` | %s | %s |\n", t.Expr, t.Actual, verdictWord(t.Passed, "pass", "**FAIL**"))
	}
	b.WriteString("\n")
}

// outcomeList renders a row's outcomes in report order, with rejection
// codes: "rejected 10 (expired 10)".
func outcomeList(row results.MatrixRow) string {
	var parts []string
	for _, o := range results.Outcomes() {
		n := row.Outcomes[o]
		if n == 0 {
			continue
		}
		s := fmt.Sprintf("%s %d", o, n)
		var codes []string
		for _, k := range sortedKeys(row.Codes) {
			if code, ok := strings.CutPrefix(k, string(o)+":"); ok {
				codes = append(codes, fmt.Sprintf("%s %d", code, row.Codes[k]))
			}
		}
		if len(codes) > 0 {
			s += " (" + strings.Join(codes, ", ") + ")"
		}
		parts = append(parts, s)
	}
	return mdEscape(strings.Join(parts, "; "))
}

func verdictCell(v results.Verdict) string {
	if v == results.VerdictOK {
		return "ok"
	}
	return "**" + string(v) + "**"
}

func verdictWord(ok bool, yes, no string) string {
	if ok {
		return yes
	}
	return no
}

// usString renders microseconds at a readable scale.
func usString(us int64) string {
	return (time.Duration(us) * time.Microsecond).Round(time.Microsecond).String()
}

// mdEscape keeps a value from breaking a table cell.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;").Replace(s)
}
