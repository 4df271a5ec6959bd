package audit

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// severityOrder lists the severities a report shows, most severe first.
var severityOrder = []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityInfo}

// WriteText writes a terminal summary of r: the tally, then one line per
// finding group, most severe first.
func WriteText(w io.Writer, r *Report) error {
	ew := &errWriter{w: w}
	t := r.Tally()
	ew.printf("gatecrash audit of %s: %d checks (%d passed, %d failed, %d skipped), %d handshakes in %s\n",
		r.Target, len(r.Checks), t.Passed, t.Failed, t.Skipped, r.Handshakes, r.Duration.Round(1e6))
	ew.printf("findings:")
	for _, s := range severityOrder {
		ew.printf(" %s %d", s, t.BySeverity[s])
	}
	ew.printf("\n")
	for _, g := range r.Groups() {
		ew.printf("  %-8s %-5s %-24s %s [%d× %s%s]\n", strings.ToUpper(g.Severity.String()), g.Case,
			g.Namespace, g.Finding, len(g.Checks), joinTransports(g.Transports), kindsSuffix(g.Kinds, 4))
	}
	return ew.err
}

// WriteMarkdown writes r as a Markdown document: a summary table, then each
// finding group with the evidence of its first check.
func WriteMarkdown(w io.Writer, r *Report) error {
	ew := &errWriter{w: w}
	t := r.Tally()
	ew.printf("# gatecrash audit of `%s`\n\n", r.Target)
	ew.printf("%d checks: %d passed, %d failed, %d skipped; %d handshakes in %s.\n\n",
		len(r.Checks), t.Passed, t.Failed, t.Skipped, r.Handshakes, r.Duration.Round(1e6))
	ew.printf("| severity | findings |\n| --- | ---: |\n")
	for _, s := range severityOrder {
		ew.printf("| %s | %d |\n", s, t.BySeverity[s])
	}
	groups := r.Groups()
	if len(groups) == 0 {
		ew.printf("\nNo findings.\n")
		return ew.err
	}
	ew.printf("\n## Findings\n\n| severity | case | namespace | finding | checks | transports | kinds |\n")
	ew.printf("| --- | --- | --- | --- | ---: | --- | --- |\n")
	for _, g := range groups {
		kinds := strings.TrimPrefix(kindsSuffix(g.Kinds, 6), "; ")
		ew.printf("| %s | %s | `%s` | %s | %d | %s | %s |\n", g.Severity, g.Case, g.Namespace,
			mdEscape(g.Finding), len(g.Checks), joinTransports(g.Transports), mdEscape(kinds))
	}
	for _, g := range groups {
		writeMarkdownGroup(ew, g)
	}
	return ew.err
}

func writeMarkdownGroup(ew *errWriter, g FindingGroup) {
	c := g.Checks[0]
	ew.printf("\n### %s · %s · `%s` — %s\n\n", strings.ToUpper(g.Severity.String()), g.Case, g.Namespace,
		mdEscape(g.Finding))
	ew.printf("- tried: %s", mdEscape(c.Title))
	if c.Kind != "" {
		ew.printf(" (`%s` in %s)", c.Kind, c.Where)
	}
	ew.printf(" over %s\n- expected: %s\n- observed: %s", c.Transport, mdEscape(c.Expected), c.Observed.Outcome)
	if c.Observed.Code != "" {
		ew.printf(" (%s)", mdEscape(c.Observed.Code))
	}
	ew.printf(" after %s\n\n```\n", c.Observed.Decision.Round(10*time.Microsecond))
	for _, f := range c.Evidence {
		arrow := "→"
		if f.Dir == DirReceived {
			arrow = "←"
		}
		ew.printf("%s %s\n", arrow, strings.ReplaceAll(f.Text, "```", "'''"))
	}
	ew.printf("```\n")
}

// WriteJSON writes r as indented JSON: every check with its evidence.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("audit report: %w", err)
	}
	return nil
}

func joinTransports(ts []Transport) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, ",")
}

// kindsSuffix lists up to n kinds after a separator, and how many more.
func kindsSuffix(kinds []string, n int) string {
	if len(kinds) == 0 {
		return ""
	}
	if len(kinds) <= n {
		return "; " + strings.Join(kinds, ", ")
	}
	return fmt.Sprintf("; %s and %d more", strings.Join(kinds[:n], ", "), len(kinds)-n)
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// errWriter keeps the first write error, so writers check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
