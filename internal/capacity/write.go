package capacity

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Write renders the report for people: the probes as a table, then the
// answer, the memory figures, whether the generator was the limit, and the
// assumptions.
func (r *Report) Write(w io.Writer) error {
	fmt.Fprintf(w, "capacity of %s, scenario %s\nSLO: %s\n\n", r.Target, r.Scenario, strings.Join(r.SLO, ", "))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(StepColumns, "\t")+"\t")
	for _, s := range r.Steps {
		fmt.Fprintln(tw, strings.Join(s.Cells(), "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("capacity: %w", err)
	}
	fmt.Fprintln(w)
	r.writeAnswer(w)
	if len(r.Assumptions) > 0 {
		fmt.Fprintln(w, "assumptions:")
		for _, a := range r.Assumptions {
			fmt.Fprintf(w, "  - %s\n", a)
		}
	}
	return nil
}

// StepColumns are the headings of the probes' table, in the order
// Step.Cells gives the cells.
var StepColumns = []string{"probe", "rate/s", "for", "achieved/s", "p99 connect", "dropped", "generator", "SLO"}

// Cells returns the probe's figures formatted for a table, one per
// StepColumns.
func (s Step) Cells() []string {
	gen := "ok"
	if s.Saturated {
		gen = "saturated"
	}
	return []string{string(s.Kind), fmt.Sprintf("%.4g", s.Rate), s.Duration.String(), fmt.Sprintf("%.1f", s.Achieved),
		micros(s.Connect.P99), fmt.Sprintf("%d", s.Dropped), gen, s.Verdict()}
}

// Answer returns the report's conclusions as lines: the sustainable rate,
// per core, CPU, memory and who was the limit; the assumptions apart.
func (r *Report) Answer() []string {
	var b strings.Builder
	r.writeAnswer(&b)
	return strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
}

func (r *Report) writeAnswer(w io.Writer) {
	switch {
	case r.Sustainable == 0:
		fmt.Fprintln(w, "sustainable rate: none; no probed rate met the SLO")
	case r.AtMaxRate:
		fmt.Fprintf(w, "sustainable rate: at least %.4g/s (the search's cap; held %s)\n", r.Sustainable, r.Confirm)
	default:
		fmt.Fprintf(w, "sustainable rate: %.4g/s (held %s); the SLO failed at %.4g/s\n",
			r.Sustainable, r.Confirm, r.Bound)
	}
	if r.PerCore > 0 {
		fmt.Fprintf(w, "per core: %.4g/s over %d cores\n", r.PerCore, r.Cores)
	}
	if r.CPUPerHandshake > 0 {
		who := "generator alone: its own ceiling"
		if r.Embedded {
			who = "server and generator"
		}
		fmt.Fprintf(w, "CPU per handshake: %s (%s), %.4g/s if CPU were the only limit\n",
			r.CPUPerHandshake.Round(100*time.Nanosecond), who, r.CPUBoundRate)
	}
	if m := r.Memory; m != nil {
		fmt.Fprintf(w, "memory: %.1f KiB per held socket (%d sockets opened at %.4g/s, %d lost), "+
			"%.0f sockets per GiB\n  source: %s\n", m.PerSocket/1024, m.Sockets, m.Rate, m.Lost, m.PerGiB, m.Source)
	} else if r.MemoryNote != "" {
		fmt.Fprintf(w, "memory: %s\n", r.MemoryNote)
	}
	if r.GeneratorLimited {
		fmt.Fprintf(w, "the generator, not necessarily the server, was the limit: %s\n", r.GeneratorReason)
	} else if r.Bound > 0 {
		fmt.Fprintln(w, "the generator kept its schedule at the failing rate: the server was the limit")
	}
}

// Verdict says whether the probe passed, or why it failed, in a few words.
func (s Step) Verdict() string {
	if s.Passed {
		return "pass"
	}
	var why []string
	for _, v := range s.Verdicts {
		if !v.Passed {
			why = append(why, fmt.Sprintf("%s (%s)", v.Expr, v.Actual))
		}
	}
	if s.Dropped > 0 {
		why = append(why, "starts dropped")
	}
	if s.SecurityFailed {
		why = append(why, "security")
	}
	if len(why) == 0 {
		why = append(why, "no verdict")
	}
	return "FAIL " + strings.Join(why, "; ")
}

// micros renders a microsecond figure as a duration.
func micros(us int64) string {
	return (time.Duration(us) * time.Microsecond).String()
}
