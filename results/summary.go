package results

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteSummary writes the end-of-run summary of r for a terminal: the run,
// rates, percentiles per phase, the matrix, the revocation lag when measured,
// threshold verdicts and the security verdict. Output is deterministic for a given Result.
func WriteSummary(w io.Writer, r *Result) error {
	sw := &summaryWriter{w: w}
	sw.header(r)
	sw.phases(r)
	sw.matrix(r)
	sw.revocation(r)
	sw.thresholds(r)
	sw.security(r)
	return sw.err
}

// summaryWriter keeps the first write error so the sections stay linear.
type summaryWriter struct {
	w   io.Writer
	err error
}

func (s *summaryWriter) printf(format string, args ...any) {
	if s.err == nil {
		_, s.err = fmt.Fprintf(s.w, format, args...)
	}
}

func (s *summaryWriter) table(write func(tw *tabwriter.Writer)) {
	if s.err != nil {
		return
	}
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	write(tw)
	if s.err = tw.Flush(); s.err != nil {
		return
	}
	for line := range strings.Lines(buf.String()) {
		s.printf("%s\n", strings.TrimRight(line, " \n"))
	}
}

func (s *summaryWriter) header(r *Result) {
	m := r.Meta
	s.printf("scenario    %s\n", m.Scenario)
	s.printf("target      %s\n", m.Target)
	s.printf("run         %s, %s, %d worker(s)\n",
		m.Start.UTC().Format(time.RFC3339), m.Duration.Round(time.Millisecond), m.Workers)
	if m.Incomplete {
		s.printf("INCOMPLETE  %s\n", cmpOr(m.IncompleteReason, "the run ended early"))
	}
	e := m.Env
	s.printf("env         gatecrash %s, %s %s/%s, GOMAXPROCS %d of %d CPUs%s\n",
		e.GatecrashVersion, e.GoVersion, e.OS, e.Arch, e.GOMAXPROCS, e.NumCPU, prefixed(", ", e.CPUModel))
	c := r.Counters
	s.printf("handshakes  %d samples on %d connections, %s\n", c.Samples, c.Connections, r.perSecond(c.Samples))
	var parts []string
	for _, o := range Outcomes() {
		parts = append(parts, fmt.Sprintf("%s %d", o, c.Outcomes[o]))
	}
	if n := c.Outcomes["other"]; n > 0 {
		parts = append(parts, fmt.Sprintf("other %d", n))
	}
	s.printf("outcomes    %s; accepted %s\n", strings.Join(parts, ", "), r.perSecond(c.Outcomes[OutcomeAccepted]))
	g := m.Generator
	planned := "open-ended" // a closed model bounded by time: the server sets the pace
	if g.Planned > 0 {
		planned = fmt.Sprint(g.Planned)
	}
	s.printf("generator   planned %s, started %d, dropped %d, late %d%s\n",
		planned, g.Started, g.Dropped, g.Late, map[bool]string{true: ", SATURATED"}[g.Saturated])
	if c.Clamped > 0 || c.Unplaced > 0 || c.AfterFinish > 0 {
		s.printf("note        %d durations clamped, %d samples outside intervals, %d after finish\n",
			c.Clamped, c.Unplaced, c.AfterFinish)
	}
}

func (r *Result) perSecond(n int64) string {
	if r.Meta.Duration <= 0 {
		return "rate unknown"
	}
	return fmt.Sprintf("%.1f/s", float64(n)/r.Meta.Duration.Seconds())
}

func (s *summaryWriter) phases(r *Result) {
	s.printf("\n")
	s.table(func(tw *tabwriter.Writer) {
		fmt.Fprintln(tw, "phase\tcount\tmin\tp50\tp90\tp99\tp99.9\tmax")
		for p := range NumPhases {
			st, ok := r.Phases[p.String()]
			if !ok {
				continue
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", p, st.Count, formatMicros(st.Min),
				formatMicros(st.P50), formatMicros(st.P90), formatMicros(st.P99),
				formatMicros(st.P999), formatMicros(st.Max))
		}
	})
}

func (s *summaryWriter) matrix(r *Result) {
	s.printf("\n")
	s.table(func(tw *tabwriter.Writer) {
		fmt.Fprintln(tw, "namespace\tkind\texpect\ttotal\taccepted\trejected\tclosed\thttp\ttimeout\t"+
			"transport\tverdict\tcodes")
		for _, row := range r.Matrix {
			o := row.Outcomes
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\n", row.Namespace, row.Kind,
				row.Expect, row.Total, o[OutcomeAccepted], o[OutcomeRejected], o[OutcomeClosed],
				o[OutcomeHTTPError], o[OutcomeTimeout], o[OutcomeTransportError],
				rowVerdict(row), formatCodes(row.Codes))
		}
	})
}

// rowVerdict is the row's worst verdict, upper-cased when it is not ok.
func rowVerdict(row MatrixRow) string {
	if row.Verdict == VerdictOK {
		return "ok"
	}
	return strings.ToUpper(string(row.Verdict))
}

func formatCodes(codes map[string]int64) string {
	keys := make([]string, 0, len(codes))
	for k := range codes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, codes[k]))
	}
	return strings.Join(parts, " ")
}

func (s *summaryWriter) thresholds(r *Result) {
	if len(r.Thresholds) == 0 {
		return
	}
	s.printf("\n")
	s.table(func(tw *tabwriter.Writer) {
		for _, t := range r.Thresholds {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", map[bool]string{true: "PASS", false: "FAIL"}[t.Passed], t.Expr, t.Actual)
		}
	})
	s.printf("thresholds  %s\n", map[bool]string{true: "passed", false: "FAILED"}[r.ThresholdsPassed])
}

func (s *summaryWriter) security(r *Result) {
	sec := r.Security
	if sec.Passed {
		s.printf("security    passed: no bad credential accepted, no identity mismatch\n")
		return
	}
	s.printf("security    FAILED: %d false accept(s), %d identity mismatch(es)\n",
		sec.FalseAccepts, sec.IdentityMismatches)
	for _, f := range sec.Findings {
		s.printf("  %s %s %s ×%d\n", strings.ToUpper(string(f.Verdict)), f.Namespace, f.Kind, f.Count)
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}
