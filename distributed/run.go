package distributed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/scenarios"
)

// Run coordinates a distributed run of sc over opts.Workers workers and
// returns the merged output. It embeds a nats-server unless opts.Join names
// one, and starts local worker processes when opts.Spawn is set.
//
// Errors before the synchronized start (a worker that does not join, is
// lost or fails to mint) abort the run and return no result. After it, the
// result is always returned: cancelling ctx aborts every worker and returns
// what they recorded, marked incomplete; a lost worker's share is missing
// and named, and the result is marked partial.
func Run(ctx context.Context, sc *scenarios.Scenario, opts Options) (*Output, error) {
	o := opts.withDefaults()
	if o.Workers < 1 {
		return nil, fmt.Errorf("distributed: %d workers: need at least one", o.Workers)
	}
	if sc.Target == nil {
		return nil, ErrNoTarget
	}
	url := o.Join
	if url == "" {
		srv, err := StartServer(o.Listen)
		if err != nil {
			return nil, err
		}
		defer srv.Close()
		url = srv.URL()
	}
	nc, err := nats.Connect(url, nats.Name("gatecrash coordinator"), nats.Timeout(5*time.Second))
	if err != nil {
		return nil, fmt.Errorf("distributed: connect %s: %w", url, err)
	}
	defer nc.Close()
	c, err := newCoordinator(o, nc, sc)
	if err != nil {
		return nil, err
	}
	subs, err := c.subscribe()
	for _, s := range subs {
		defer s.Unsubscribe() //nolint:errcheck // the connection closes next
	}
	if err != nil {
		return nil, err
	}
	if len(o.Spawn) > 0 {
		sp, err := spawn(o.Spawn, o.Workers, url, o.SpawnOutput)
		if err != nil {
			return nil, err
		}
		defer sp.stop(o.AbortGrace) //nolint:errcheck // a worker that will not die is the OS's to report
	}
	if err := c.prepare(ctx); err != nil {
		c.abortAll(err.Error())
		return &Output{Refused: c.refused, Workers: c.reports()}, err
	}
	return c.runAndMerge(ctx)
}

// prepare waits for every worker to join and to be ready.
func (c *coordinator) prepare(ctx context.Context) error {
	now := c.o.Now()
	all := len(c.workers)
	err := c.wait(ctx, now.Add(c.o.JoinTimeout), func() bool {
		return c.count(func(w *workerState) bool { return w.joined }) == all
	})
	if errors.Is(err, errDeadline) {
		n := c.count(func(w *workerState) bool { return w.joined })
		return fmt.Errorf("%w: %d of %d joined in %v; refused: %q", ErrJoinTimeout, n, all,
			c.o.JoinTimeout, c.refused)
	}
	if err != nil {
		return fmt.Errorf("distributed: waiting for workers to join: %w", err)
	}
	err = c.wait(ctx, c.o.Now().Add(c.o.ReadyTimeout), func() bool {
		return c.count(func(w *workerState) bool { return w.ready || w.ended }) == all
	})
	if err != nil {
		return fmt.Errorf("distributed: waiting for workers to mint: %w", err)
	}
	for _, w := range c.workers {
		switch {
		case w.Status == StatusLost:
			return fmt.Errorf("%w before the start: worker %s (%s)", ErrLost, shareLabel(w.Share), w.Name)
		case w.ended:
			return fmt.Errorf("%w before the start: worker %s (%s): %s", ErrWorker, shareLabel(w.Share),
				w.Name, w.Error)
		}
	}
	return nil
}

// runAndMerge gives the synchronized start, waits for every worker's end and
// merges their results.
func (c *coordinator) runAndMerge(ctx context.Context) (*Output, error) {
	at := c.o.Now().Add(c.o.StartDelay)
	c.live.begin(at)
	c.publish(c.subj.start, startAt{At: at})
	if c.o.OnStart != nil {
		c.o.OnStart(c.live.snapshot, c.sc.Load.PlannedDuration())
	}
	ended := func() bool { return c.count(func(w *workerState) bool { return w.ended }) == len(c.workers) }
	if err := c.wait(ctx, time.Time{}, ended); err != nil {
		c.abortAll("interrupted")
		if c.wait(context.Background(), c.o.Now().Add(c.o.AbortGrace), ended) != nil {
			c.giveUp("no result within the abort grace")
		}
	}
	end := c.o.Now()
	return c.output(at, end)
}

// giveUp marks lost every worker that has not ended.
func (c *coordinator) giveUp(why string) {
	for _, w := range c.workers {
		if !w.ended {
			w.ended, w.Status, w.Error = true, StatusLost, why
		}
	}
}

// reports returns the workers' reports.
func (c *coordinator) reports() []WorkerReport {
	out := make([]WorkerReport, len(c.workers))
	for i, w := range c.workers {
		out[i] = w.WorkerReport
	}
	return out
}

// output merges the delivered results and says what is missing.
func (c *coordinator) output(start, end time.Time) (*Output, error) {
	out := &Output{Workers: c.reports(), Refused: c.refused}
	out.Target = c.sc.Target.URL
	out.Generator = sumGenerators(c.workers)
	for _, w := range c.workers {
		if w.Status != StatusDone {
			out.Missing = append(out.Missing, w.Share)
		}
	}
	res, err := c.merge(start, end)
	if err != nil {
		return out, err
	}
	planned, fixed := c.sc.Load.PlannedHandshakes()
	switch {
	case len(out.Missing) > 0:
		res.Meta.Incomplete = true
		res.Meta.IncompleteReason = missingReason(out.Missing, planned)
		if fixed {
			res.Meta.Generator.Planned = planned
		}
	case c.aborted != "" && !res.Meta.Incomplete:
		res.Meta.Incomplete, res.Meta.IncompleteReason = true, c.aborted
	}
	out.Result = res
	out.Warnings = warnings(out.Workers)
	return out, nil
}

// merge merges the delivered results exactly; with none, it returns an
// empty result over the run's span, so the caller still has one to mark.
func (c *coordinator) merge(start, end time.Time) (*results.Result, error) {
	rs := c.results()
	if len(rs) == 0 {
		rec := results.NewRecorder(results.Options{Thresholds: c.sc.Thresholds})
		return rec.Finish(results.Meta{Scenario: c.sc.Name, ScenarioFile: c.sc.Source,
			Target: c.sc.Target.URL, Start: start, End: end, Workers: len(c.workers),
			Env: results.DetectEnvironment(c.o.Version)}), nil
	}
	res, err := results.Merge(rs...)
	if err != nil {
		return nil, fmt.Errorf("distributed: merging the workers' results: %w", err)
	}
	res.Meta.Env = results.DetectEnvironment(c.o.Version)
	return res, nil
}
