package overhead

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gatecrash/gatecrash/scenarios"
)

// describe says what load a schedule applies, in a few words.
func describe(l scenarios.LoadSpec) string {
	switch l.Model {
	case scenarios.ModelClosed:
		return fmt.Sprintf("closed model, %d users", l.VUs)
	case scenarios.ModelHold:
		return fmt.Sprintf("hold model, %d sockets", l.Sockets)
	}
	parts := make([]string, len(l.Stages))
	for i, s := range l.Stages {
		parts[i] = fmt.Sprintf("%g/s for %s", s.Rate, s.Duration)
	}
	return "open model, " + strings.Join(parts, " then ")
}

// Columns are the headings of a report's table, in the order Row.Cells
// gives the cells.
var Columns = []string{"variant", "CPU/hs", "ΔCPU", "share", "p50 connect", "Δp50", "p99 connect", "Δp99",
	"hit ratio", "rate/s", "max rate/s", "not ok"}

// Cells returns the row's figures formatted for a table, one per Columns.
func (row Row) Cells() []string {
	return []string{row.Variant.Name(), us(row.CPU), signedUS(row.CPUDelta), fmt.Sprintf("%.1f%%", row.CPUShare*100),
		us(row.P50), signedUS(row.P50Delta), us(row.P99), signedUS(row.P99Delta), ratio(row.HitRatio),
		fmt.Sprintf("%.0f", row.Rate), fmt.Sprintf("%.0f", row.MaxRate), fmt.Sprintf("%d", row.NotOK)}
}

// Note says what the table's CPU figures are, in a sentence.
const Note = "CPU is the process's (embedded server and generator); its delta is the server's."

// Summary says what load each run had, in a line.
func (r *Report) Summary() string {
	return fmt.Sprintf("schedule: %s; %d round(s) per variant, interleaved; %d cores", r.Schedule, r.Rounds, r.Cores)
}

// Write renders the report as an aligned table.
func (r *Report) Write(w io.Writer) error {
	fmt.Fprintln(w, r.Summary())
	fmt.Fprintln(w, Note)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(Columns, "\t")+"\t")
	for _, row := range r.Rows {
		fmt.Fprintln(tw, strings.Join(row.Cells(), "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("overhead: %w", err)
	}
	return nil
}

func us(d time.Duration) string { return fmt.Sprintf("%.1fµs", float64(d)/1e3) }

func signedUS(d time.Duration) string { return fmt.Sprintf("%+.1fµs", float64(d)/1e3) }

func ratio(f float64) string {
	if f < 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", f*100)
}
