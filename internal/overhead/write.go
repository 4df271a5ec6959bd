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

// Write renders the report as an aligned table, then the sentence users
// quote for each method.
func (r *Report) Write(w io.Writer) error {
	fmt.Fprintf(w, "schedule: %s; %d round(s) per variant, interleaved; %d cores\n",
		r.Schedule, r.Rounds, r.Cores)
	fmt.Fprintln(w, "CPU is the process's (embedded server and generator); its delta is the server's.")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "variant\tCPU/hs\tΔCPU\tshare\tp50 connect\tΔp50\tp99 connect\tΔp99\thit ratio"+
		"\trate/s\tmax rate/s\tnot ok\t")
	for _, row := range r.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.1f%%\t%s\t%s\t%s\t%s\t%s\t%.0f\t%.0f\t%d\t\n",
			row.Variant.Name(), us(row.CPU), signedUS(row.CPUDelta), row.CPUShare*100,
			us(row.P50), signedUS(row.P50Delta), us(row.P99), signedUS(row.P99Delta),
			ratio(row.HitRatio), row.Rate, row.MaxRate, row.NotOK)
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
