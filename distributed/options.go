package distributed

import (
	"io"
	"log/slog"
	"time"

	"github.com/gatecrash/gatecrash/results"
)

// Options configure Run. Workers is required; the rest has defaults.
type Options struct {
	// Workers is the number of workers the run waits for and splits the
	// scenario between.
	Workers int
	// Join is the NATS URL to coordinate over; empty embeds a nats-server
	// listening on Listen.
	Join string
	// Listen is the embedded nats-server's address; default 127.0.0.1:0
	// (a free loopback port).
	Listen string
	// Subject is the subject prefix; default DefaultSubject.
	Subject string
	// Spawn, when set, is the command line of a local worker (for example
	// the gatecrash binary and "worker"): Run starts Workers of them with
	// "--join URL" appended, and stops any still running at the end, by
	// PID. Empty: the workers are started by someone else.
	Spawn []string
	// SpawnOutput receives the spawned workers' output; nil discards it.
	SpawnOutput io.Writer
	// Version is gatecrash's version, recorded in the result.
	Version string
	// OnStart, when set, is called once at the synchronized start with a
	// function that snapshots the merged live figures and the planned
	// duration, as runner.Options.OnStart is.
	OnStart func(snapshot func() results.Snapshot, planned time.Duration)
	// StartDelay is how far after the last worker's ready the synchronized
	// start is set; default 500 ms. It must cover the start message's
	// delivery and the workers' clock differences.
	StartDelay time.Duration
	// JoinTimeout bounds the wait for every worker to join; default 30 s.
	JoinTimeout time.Duration
	// ReadyTimeout bounds the wait for every worker to mint its share;
	// default 5 minutes.
	ReadyTimeout time.Duration
	// LostAfter is how long a worker may stay silent before it is lost;
	// default 5 s (workers beat every 500 ms).
	LostAfter time.Duration
	// AbortGrace is how long an aborted run waits for the workers' results;
	// default 15 s.
	AbortGrace time.Duration
	// Logger receives the coordinator's progress; nil discards.
	Logger *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Subject == "" {
		o.Subject = DefaultSubject
	}
	if o.StartDelay <= 0 {
		o.StartDelay = 500 * time.Millisecond
	}
	if o.JoinTimeout <= 0 {
		o.JoinTimeout = 30 * time.Second
	}
	if o.ReadyTimeout <= 0 {
		o.ReadyTimeout = 5 * time.Minute
	}
	if o.LostAfter <= 0 {
		o.LostAfter = 5 * time.Second
	}
	if o.AbortGrace <= 0 {
		o.AbortGrace = 15 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.SpawnOutput == nil {
		o.SpawnOutput = io.Discard
	}
	o.Spawn = append([]string(nil), o.Spawn...)
	return o
}
