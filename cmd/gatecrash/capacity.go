package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/gatecrash/gatecrash/internal/capacity"
	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/scenarios"
)

// capacityFlags are the capacity command's flags.
type capacityFlags struct {
	slo, metrics, jsonOut string
	search                capacity.SearchConfig
	holdSockets, cores    int
	hold                  time.Duration
}

func newCapacityCmd() *cobra.Command {
	var f capacityFlags
	cmd := &cobra.Command{
		Use:   "capacity SCENARIO --slo 'p99(connect) < 50ms, errors < 0.1%'",
		Short: "Find the highest handshake rate that meets an SLO, and memory per held socket",
		Long: `capacity searches for the highest arrival rate SCENARIO's target (or the
embedded reference server) sustains within the SLO: short open-model probes at a
rising rate until one misses the SLO, a bisection between the last pass and the
first failure, then a longer confirmation run at the rate found. A probe fails
when an SLO threshold fails, when the generator dropped starts, or when a bad
credential got in. The SLO is threshold expressions separated by commas; "errors"
means error_rate.

A hold phase then opens --hold-sockets sockets at that rate and reads the server's
memory before and during the hold: this process's RSS for the embedded server
(generator included, an upper bound), or process_resident_memory_bytes from
--server-metrics for a target.

The report gives the sustainable rate, per core and per GiB of memory, the
assumptions of any extrapolation, and says when the generator, not the server,
was the limit. Exit code 2 when no probed rate met the SLO.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCapacity(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.slo, "slo", "", "the objective, e.g. 'p99(connect) < 50ms, errors < 0.1%' (required)")
	fl.Float64Var(&f.search.StartRate, "start-rate", 50, "first rate probed, per second")
	fl.Float64Var(&f.search.Growth, "growth", 2, "rate multiplier between step-up probes")
	fl.Float64Var(&f.search.MaxRate, "max-rate", 20000, "highest rate probed, per second")
	fl.DurationVar(&f.search.Probe, "probe", 5*time.Second, "length of each probe")
	fl.DurationVar(&f.search.Confirm, "confirm", 30*time.Second, "length of the confirmation run")
	fl.Float64Var(&f.search.Precision, "precision", 0.05, "bisect until the gap is this share of the failing rate")
	fl.IntVar(&f.search.MaxProbes, "max-probes", 16, "most step and bisection probes")
	fl.IntVar(&f.holdSockets, "hold-sockets", 1000, "sockets held to measure memory; 0 skips the hold phase")
	fl.DurationVar(&f.hold, "hold", 10*time.Second, "how long the sockets are held")
	fl.StringVar(&f.metrics, "server-metrics", "", "the target's Prometheus endpoint, for its memory")
	fl.IntVar(&f.cores, "cores", 0, "the server's CPU count, for per-core figures (default: this "+
		"machine's, when the server is embedded)")
	fl.StringVar(&f.jsonOut, "json", "", "also save the report as JSON here (gatecrash report draws it)")
	_ = cmd.MarkFlagRequired("slo")
	return cmd
}

func runCapacity(cmd *cobra.Command, path string, f capacityFlags) error {
	slo, err := capacity.ParseSLO(f.slo)
	if err != nil {
		return &exitError{code: ExitError, msg: "--slo: " + err.Error()}
	}
	sc, err := scenarios.Load(path)
	if err != nil {
		return &exitError{code: ExitError, msg: err.Error()}
	}
	_, _, _ = loadgen.RaiseFileLimit()
	stderr := cmd.ErrOrStderr()
	cfg := capacity.Config{
		SLO:    slo,
		Search: f.search,
		Hold:   capacity.HoldConfig{Sockets: f.holdSockets, Hold: f.hold},
		Cores:  f.cores,
		Run:    runner.Options{Version: version()},
	}
	cfg.Search.OnStep = func(s capacity.Step) { progressLine(stderr, s) }
	if f.holdSockets == 0 {
		cfg.Hold.Sockets = -1
	}
	if f.metrics != "" {
		cfg.Hold.Memory = capacity.MetricsRSS{URL: f.metrics}
	}
	rep, err := capacity.Run(cmd.Context(), sc, cfg)
	if rep == nil {
		return &exitError{code: ExitError, msg: err.Error()}
	}
	if werr := rep.Write(cmd.OutOrStdout()); werr != nil {
		return werr
	}
	if f.jsonOut != "" {
		if werr := rep.WriteFile(f.jsonOut); werr != nil {
			return &exitError{code: ExitError, msg: werr.Error()}
		}
	}
	switch {
	case errors.Is(err, capacity.ErrNoRate):
		return &exitError{code: ExitThresholds, msg: err.Error()}
	case err != nil:
		return &exitError{code: ExitError, msg: err.Error()}
	}
	return nil
}

// progressLine says what a probe found, one line per probe.
func progressLine(w io.Writer, s capacity.Step) {
	verdict := "pass"
	if !s.Passed {
		verdict = "fail"
	}
	fmt.Fprintf(w, "%-7s %8.4g/s for %s: %s, achieved %.1f/s, p99 connect %s\n", s.Kind, s.Rate, s.Duration,
		verdict, s.Achieved, time.Duration(s.Connect.P99)*time.Microsecond)
}
