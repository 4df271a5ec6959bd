package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gatecrash/gatecrash/compare"
)

// compareFlags are the flags of `gatecrash compare`.
type compareFlags struct {
	gates []string
	alpha float64
}

func newCompareCmd() *cobra.Command {
	var f compareFlags
	cmd := &cobra.Command{
		Use:   "compare BASE NEW [NEW...]",
		Short: "Compare runs or benchmarks against a baseline, with significance tests and CI gates",
		Long: `compare sets each NEW group of runs against BASE, metric by metric: the median
and its 95% confidence interval on each side, the change, and a Mann-Whitney U
test (golang.org/x/perf's benchmath, as benchstat uses). A "~" change is not
significant. Each group is one file or several joined by commas
(base1.json,base2.json,base3.json): gatecrash results JSON (one run each) or
` + "`go test -bench`" + ` output (every line a run; use -count 6 or more).

Gates make the exit code fail a CI job. "METRIC OP +N%" bounds the change of
the median (failing only when the change is significant, or when too few runs
allow a test); "METRIC OP N" bounds every new value:
  --gate 'p99(connect) < +10%' --gate 'false_accepts == 0'
  --gate 'handshakes/s > -5%' --gate 'sec/op < +10%'
Results metrics: pNN(phase), mean(phase) in µs, rate(all), rate(accepted),
error_rate, false_accepts, false_rejects, identity_mismatches.

Exit codes: 0 every gate held; 1 bad input; 2 a gate failed.`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCompare(args, f, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringArrayVar(&f.gates, "gate", nil, "a gate the comparison must pass (repeatable)")
	cmd.Flags().Float64Var(&f.alpha, "alpha", compare.DefaultAlpha, "significance level")
	return cmd
}

func runCompare(args []string, f compareFlags, stdout io.Writer) error {
	gates, err := compare.ParseGates(f.gates)
	if err != nil {
		return &exitError{code: ExitError, msg: err.Error()}
	}
	sets := make([]*compare.Set, len(args))
	for i, arg := range args {
		if sets[i], err = readGroup(arg); err != nil {
			return &exitError{code: ExitError, msg: err.Error()}
		}
	}
	passed := true
	for i, next := range sets[1:] {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		rep := compare.Compare(sets[0], next, compare.Options{Alpha: f.alpha, Gates: gates})
		if err := rep.Write(stdout); err != nil {
			return err
		}
		passed = passed && rep.Passed
	}
	if !passed {
		return &exitError{code: ExitThresholds, msg: "a comparison gate failed"}
	}
	return nil
}

// readGroup reads the comma-separated files of one group into a Set.
func readGroup(arg string) (*compare.Set, error) {
	s := compare.NewSet(arg)
	for _, p := range strings.Split(arg, ",") {
		if err := s.AddFile(p); err != nil {
			return nil, err
		}
	}
	return s, nil
}
