package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/gatecrash/gatecrash/distributed"
	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/scenarios"
	"github.com/gatecrash/gatecrash/verifiers"
)

// runFlags are the flags of `gatecrash run`.
type runFlags struct {
	out         string
	progress    string
	metricsAddr string
	workers     int
	join        string
}

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run SCENARIO",
		Short: "Run a scenario and report who got in and what each handshake phase cost",
		Long: `run loads SCENARIO (a YAML file, or the name of a shipped scenario such as
"quickstart"), starts the embedded reference server when the scenario names no
target, mints every credential before the clock starts, drives the load, and
prints a summary: percentiles per phase, rates, the rejection-correctness matrix
and the verdicts. Results are written as JSON (--out, or outputs.json).

Exit codes: 0 passed; 1 bad input or run error (an interrupted run still writes
its results, marked incomplete); 2 a threshold failed; 3 security failure (a bad
credential was accepted, or an accepted socket answered as someone else).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScenario(cmd.Context(), args[0], f, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.out, "out", "o", "", "write results JSON here (overrides outputs.json)")
	fl.StringVar(&f.progress, "progress", "auto",
		"live progress: auto (a bar on a terminal, lines otherwise), bar, lines or off")
	fl.IntVar(&f.workers, "workers", 0,
		"split the run over N worker processes coordinated over NATS (needs a target)")
	fl.StringVar(&f.join, "join", "",
		"with --workers: coordinate over this NATS URL (workers join it: gatecrash worker --join URL)")
	fl.StringVar(&f.metricsAddr, "metrics-addr", "",
		"serve the embedded server's Prometheus metrics on this address (default: none)")
	return cmd
}

func runScenario(ctx context.Context, path string, f runFlags, stdout, stderr io.Writer) error {
	sc, err := scenarios.Load(path)
	if err != nil {
		return &exitError{code: ExitError, msg: err.Error()}
	}
	if err := checkOut(sc, cmp.Or(f.out, sc.Outputs.JSON)); err != nil {
		return &exitError{code: ExitError, msg: err.Error()}
	}
	bar, err := progressMode(f.progress, stderr)
	if err != nil {
		return &exitError{code: ExitError, msg: err.Error()}
	}
	if soft, _, err := loadgen.RaiseFileLimit(); err == nil {
		fmt.Fprintf(stderr, "open-file limit %d\n", soft)
	}

	progCtx, stopProgress := context.WithCancel(ctx)
	defer stopProgress()
	var progDone chan struct{}
	opts := runner.Options{Version: version(), MetricsAddr: f.metricsAddr}
	if f.progress != "off" {
		opts.OnStart = func(snap func() results.Snapshot, planned time.Duration) {
			prog := results.NewProgress(stderr, bar, planned)
			progDone = make(chan struct{})
			go func() {
				defer close(progDone)
				prog.Run(progCtx, time.Second, snap)
			}()
		}
	}
	out, runErr := execute(ctx, sc, f, opts)
	stopProgress()
	if progDone != nil {
		<-progDone // the final progress line is written before the summary
	}
	if out == nil || out.Result == nil {
		return &exitError{code: ExitError, msg: runErr.Error()}
	}
	return report(sc, f, out, runErr, stdout, stderr)
}

// execute runs sc in this process, or split over workers when --workers is
// set: local worker processes of this binary joined over NATS (an embedded
// NATS server, or --join's).
func execute(ctx context.Context, sc *scenarios.Scenario, f runFlags, opts runner.Options) (
	*runner.Output, error) {
	if f.workers == 0 {
		return runner.Run(ctx, sc, opts)
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	dopts := distributed.Options{Workers: f.workers, Join: f.join, Version: opts.Version,
		OnStart: opts.OnStart}
	if f.join == "" {
		dopts.Spawn = []string{exe, "worker"}
	}
	dout, err := distributed.Run(ctx, sc, dopts)
	if dout == nil {
		return nil, err
	}
	return &dout.Output, err
}

// checkOut refuses, before the run, a results path that names one of its
// input files: writing the results would replace the scenario or a key.
func checkOut(sc *scenarios.Scenario, out string) error {
	if out == "" {
		return nil
	}
	oi, err := os.Stat(out)
	if err != nil {
		return nil // a new file, or one the write will report
	}
	inputs := []string{sc.Source, sc.Credentials.JWT.SecretFile, sc.Credentials.JWT.KeyFile, sc.Credentials.File}
	if sc.Target != nil {
		inputs = append(inputs, sc.Target.TLS.CAFile)
	}
	if sc.Server != nil {
		inputs = append(inputs, sc.Server.Policy)
	}
	for _, in := range inputs {
		if ii, err := os.Stat(in); in != "" && err == nil && os.SameFile(oi, ii) {
			return fmt.Errorf("results file %s is an input of the run (%s): choose another --out", out, in)
		}
	}
	return nil
}

// report writes the results file and the summary, then picks the exit code.
func report(sc *scenarios.Scenario, f runFlags, out *runner.Output, runErr error,
	stdout, stderr io.Writer) error {
	res := out.Result
	for _, w := range out.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	path := f.out
	if path == "" {
		path = sc.Outputs.JSON
	}
	var writeErr error
	if path != "" {
		// A failed write is reported now, whatever exit code follows: a
		// security failure must not hide that its evidence was not saved.
		if writeErr = res.WriteFile(path); writeErr != nil {
			fmt.Fprintf(stderr, "gatecrash: writing results: %v\n", writeErr)
		}
	}
	if err := results.WriteSummary(stdout, res); err != nil {
		return &exitError{code: ExitError, msg: err.Error()}
	}
	writeCacheStats(stdout, out)
	writeGenerator(stdout, out.Generator)
	if out.Generator.Saturated {
		fmt.Fprintf(stdout, "\nGENERATOR SATURATED: %s\n", out.Generator.SaturationReason)
	}
	if path != "" && writeErr == nil {
		fmt.Fprintf(stdout, "\nresults written to %s\n", path)
	}

	switch {
	case !res.Security.Passed:
		return &exitError{code: ExitSecurity, msg: securityMessage(res)}
	case writeErr != nil:
		return &exitError{code: ExitError} // reported above
	case runErr != nil:
		return &exitError{code: ExitError, msg: runErr.Error()}
	case res.Meta.Incomplete:
		return &exitError{code: ExitError, msg: "run incomplete: " + res.Meta.IncompleteReason}
	case !res.ThresholdsPassed:
		return &exitError{code: ExitThresholds, msg: "thresholds failed"}
	}
	return nil
}

func securityMessage(res *results.Result) string {
	return fmt.Sprintf("SECURITY FAILURE: %d bad credential(s) accepted, %d identity mismatch(es)",
		res.Security.FalseAccepts, res.Security.IdentityMismatches)
}

// writeCacheStats prints the embedded server's cache figures, if any.
func writeCacheStats(w io.Writer, out *runner.Output) {
	if len(out.Cache) == 0 {
		return
	}
	fmt.Fprintln(w, "\nverification caches (embedded server):")
	methods := make([]string, 0, len(out.Cache))
	for m := range out.Cache {
		methods = append(methods, string(m))
	}
	sort.Strings(methods)
	for _, m := range methods {
		st := out.Cache[verifiers.Method(m)]
		fmt.Fprintf(w, "  %-8s hits %d  misses %d  hit ratio %.1f%%  stale %d\n",
			m, st.Hits, st.Misses, 100*st.HitRatio, st.Stale)
	}
}

// progressMode says whether progress is a redrawn bar (true) or lines.
func progressMode(mode string, stderr io.Writer) (bool, error) {
	switch mode {
	case "auto":
		return isTerminal(stderr), nil
	case "bar":
		return true, nil
	case "lines", "off":
		return false, nil
	}
	return false, errors.New(`--progress: must be auto, bar, lines or off`)
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// writeGenerator prints what the generator says of itself beyond the summary:
// its CPU per handshake, and a hold model's held sockets.
func writeGenerator(w io.Writer, g loadgen.Report) {
	fmt.Fprintf(w, "\ngenerator   peak sockets %d, CPU %s", g.PeakSockets, g.CPU.Round(time.Millisecond))
	if g.Started > 0 {
		fmt.Fprintf(w, " (%.0fµs per handshake, server included when embedded)",
			float64(g.CPU.Microseconds())/float64(g.Started))
	}
	fmt.Fprintln(w)
	if g.HoldEvents > 0 || g.HoldLost > 0 {
		fmt.Fprintf(w, "held        events %d, acks %d, sockets lost before release %d\n",
			g.HoldEvents, g.HoldAcks, g.HoldLost)
	}
}
