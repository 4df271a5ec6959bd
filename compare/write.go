package compare

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"
)

// Write renders the report as aligned text: one line per metric with each
// side's median and confidence interval, the change, and the test (a "~"
// change is not significant), then the gates.
func (r *Report) Write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "base: %s\tnew: %s\t(median ± 95%% CI, alpha %.2g)\n", r.Base, r.New, r.Alpha)
	fmt.Fprintln(tw, "name\tmetric\tbase\tnew\tdelta\ttest")
	for _, row := range r.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", row.Name, row.Unit,
			summary(row.Unit, row.Base.Center, row.Base.PctRangeString()),
			summary(row.Unit, row.New.Center, row.New.PctRangeString()),
			row.deltaString(), row.Comparison.String())
	}
	for _, k := range r.Missing {
		fmt.Fprintf(tw, "%s\t%s\t\tmissing\t\t\n", k.Name, k.Unit)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	if r.untestable() {
		if _, err := io.WriteString(w, "\n? too few values on a side for a significance test: "+
			"give each side several runs (files joined with commas)\n"); err != nil {
			return fmt.Errorf("compare: %w", err)
		}
	}
	return r.writeGates(w)
}

// untestable reports whether some row had too few values to test.
func (r *Report) untestable() bool {
	for _, row := range r.Rows {
		if !row.Testable {
			return true
		}
	}
	return false
}

func (r *Report) writeGates(w io.Writer) error {
	if len(r.Gates) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("\ngates:\n")
	for _, g := range r.Gates {
		mark := "pass"
		if !g.Passed {
			mark = "FAIL"
		}
		fmt.Fprintf(&b, "  %s  %-28s %s: %s", mark, g.Gate, g.Key, number(g.Value))
		if g.Note != "" {
			fmt.Fprintf(&b, " (%s)", g.Note)
		}
		b.WriteByte('\n')
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	return nil
}

func (row Row) deltaString() string {
	switch {
	case !row.Testable:
		return "? " + pct(row.Delta)
	case !row.Significant:
		return "~"
	case row.Worse():
		return pct(row.Delta) + " worse"
	}
	return pct(row.Delta)
}

func pct(f float64) string {
	if math.IsInf(f, 0) {
		return fmt.Sprintf("%+v", f)
	}
	return fmt.Sprintf("%+.1f%%", f*100)
}

func summary(unit string, center float64, rng string) string {
	v := number(center)
	if strings.HasPrefix(unit, "sec/") {
		v = time.Duration(center * 1e9).String()
	}
	if rng == "" {
		return v
	}
	return v + " " + rng
}

// number prints v with four significant digits, without exponent noise for
// the usual magnitudes.
func number(v float64) string {
	if v != 0 && (math.Abs(v) < 1e-3 || math.Abs(v) >= 1e7) {
		return fmt.Sprintf("%.4g", v)
	}
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.4f", v), "0"), ".")
}
