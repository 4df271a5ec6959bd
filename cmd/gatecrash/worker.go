package main

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/gatecrash/gatecrash/distributed"
)

// workerFlags are the flags of `gatecrash worker`.
type workerFlags struct {
	join    string
	name    string
	subject string
	wait    time.Duration
}

func newWorkerCmd() *cobra.Command {
	var f workerFlags
	cmd := &cobra.Command{
		Use:   "worker --join nats://HOST:PORT",
		Short: "Join a distributed run's coordinator and run this machine's share of the load",
		Long: `worker connects to the NATS server of a distributed run (the one
"gatecrash run --workers N" embeds, or a cluster both sides join), is given its
share of the scenario, mints that share's credentials, starts at the
synchronized time, streams its figures each second and sends its result.
A coordinator of another gatecrash protocol version refuses the worker.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out, err := distributed.Work(cmd.Context(), f.join, distributed.WorkerOptions{
				Version: version(), Name: f.name, Subject: f.subject, JoinTimeout: f.wait,
				Logger: slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil)),
			})
			if err != nil {
				return &exitError{code: ExitError, msg: err.Error()}
			}
			if out != nil && out.Result != nil {
				fmt.Fprintf(cmd.OutOrStdout(), "share done: %d connections, %d samples\n",
					out.Result.Counters.Connections, out.Result.Counters.Samples)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.join, "join", "", "NATS URL of the run's coordinator (required)")
	fl.StringVar(&f.name, "name", "", "this worker's name in the report (default host:pid)")
	fl.StringVar(&f.subject, "subject", distributed.DefaultSubject, "NATS subject prefix of the run")
	fl.DurationVar(&f.wait, "join-timeout", 30*time.Second, "how long to wait for a coordinator")
	_ = cmd.MarkFlagRequired("join")
	return cmd
}
