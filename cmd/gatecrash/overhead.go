package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/gatecrash/gatecrash/internal/overhead"
	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/scenarios"
)

func newOverheadCmd() *cobra.Command {
	var rounds int
	var jsonOut string
	cmd := &cobra.Command{
		Use:   "overhead [SCENARIO]",
		Short: "Measure what each verifier, cached and uncached, adds to a handshake",
		Long: `overhead runs one schedule against the embedded reference server with no
authentication (a public namespace), then with each verifier (JWT HS256, RS256,
ES256, API key, session), uncached and cached, interleaved round after round so
machine drift hits every variant alike. It prints, per variant: process CPU per
handshake and its difference from no auth (the server's cost: the generator does
the same work in every variant), p50 and p99 of the CONNECT phase and their
differences, the cache hit ratio, the rate reached, and the rate the machine's
cores could sustain at that CPU cost.

SCENARIO supplies the schedule (load block), identities, reuse and cache sizes;
its namespaces and mix are replaced per variant. Without one, 300 handshakes a
second for 3 seconds, 100 identities drawn uniformly.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOverhead(cmd, args, rounds, jsonOut)
		},
	}
	cmd.Flags().IntVar(&rounds, "rounds", 3, "runs per variant, interleaved")
	cmd.Flags().StringVar(&jsonOut, "json", "", "also save the table as JSON here (gatecrash report draws it)")
	return cmd
}

func runOverhead(cmd *cobra.Command, args []string, rounds int, jsonOut string) error {
	base, err := overheadBase(args)
	if err != nil {
		return &exitError{code: ExitError, msg: err.Error()}
	}
	_, _, _ = loadgen.RaiseFileLimit()
	stderr := cmd.ErrOrStderr()
	rep, err := overhead.Run(cmd.Context(), base, overhead.Config{
		Rounds: rounds,
		Run:    runner.Options{Version: version()},
		OnRun: func(r int, v overhead.Variant) {
			fmt.Fprintf(stderr, "round %d/%d: %s\n", r+1, rounds, v.Name())
		},
	})
	if err != nil {
		return err
	}
	if err := rep.Write(cmd.OutOrStdout()); err != nil {
		return err
	}
	if jsonOut != "" {
		if err := rep.WriteFile(jsonOut); err != nil {
			return &exitError{code: ExitError, msg: err.Error()}
		}
	}
	return nil
}

func overheadBase(args []string) (*scenarios.Scenario, error) {
	if len(args) == 0 {
		return overhead.DefaultBase()
	}
	return scenarios.Load(args[0])
}
