package distributed

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/scenarios"
)

// Worker statuses in WorkerReport.
const (
	StatusDone   = "done"   // sent its result
	StatusLost   = "lost"   // went silent; its share is missing
	StatusFailed = "failed" // reported an error and no result
)

// workerState is what the coordinator knows of one share's worker.
type workerState struct {
	WorkerReport
	joined, ready, ended bool
	last                 time.Time
}

// coordinator is one run's coordinating state; only Run's goroutine
// touches it, except live, which locks itself.
type coordinator struct {
	o       Options
	nc      *nats.Conn
	subj    subjects
	run     string
	sc      *scenarios.Scenario
	scJSON  json.RawMessage
	msgs    chan *nats.Msg
	workers []*workerState
	refused []string
	live    *live
	aborted string
}

func newCoordinator(o Options, nc *nats.Conn, sc *scenarios.Scenario) (*coordinator, error) {
	var id [6]byte
	_, _ = rand.Read(id[:]) // never fails (crypto/rand)
	scJSON, err := json.Marshal(sc)
	if err != nil {
		return nil, fmt.Errorf("distributed: scenario: %w", err)
	}
	c := &coordinator{
		o: o, nc: nc, run: hex.EncodeToString(id[:]), sc: sc, scJSON: scJSON,
		msgs: make(chan *nats.Msg, 4096), live: newLive(o.Now),
	}
	c.subj = newSubjects(o.Subject, c.run)
	planned, fixed := sc.Load.PlannedHandshakes()
	for k := range o.Workers {
		share := creds.Share{Index: k, Count: o.Workers}
		ws := &workerState{WorkerReport: WorkerReport{Share: share}}
		if fixed {
			ws.Planned = int64(share.Len(int(planned)))
		}
		c.workers = append(c.workers, ws)
	}
	return c, nil
}

// subscribe routes the join subject and the run's subjects to msgs.
func (c *coordinator) subscribe() ([]*nats.Subscription, error) {
	var subs []*nats.Subscription
	for _, s := range []string{c.subj.join, c.o.Subject + "." + c.run + ".*"} {
		sub, err := c.nc.ChanSubscribe(s, c.msgs)
		if err != nil {
			return subs, fmt.Errorf("distributed: subscribe %s: %w", s, err)
		}
		subs = append(subs, sub)
	}
	if err := c.nc.Flush(); err != nil {
		return subs, fmt.Errorf("distributed: subscribe: %w", err)
	}
	return subs, nil
}

// errDeadline ends a wait whose deadline passed.
var errDeadline = errors.New("deadline")

// wait handles messages until cond holds, ctx ends or the deadline passes,
// checking for lost workers as it goes.
func (c *coordinator) wait(ctx context.Context, deadline time.Time, cond func() bool) error {
	tick := time.NewTicker(max(c.o.LostAfter/5, 10*time.Millisecond))
	defer tick.Stop()
	for !cond() {
		select {
		case m := <-c.msgs:
			c.handle(m)
		case <-tick.C:
			c.drain() // a backlog is not silence: handle it before judging
			c.checkLost()
			if !deadline.IsZero() && c.o.Now().After(deadline) {
				return errDeadline
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// drain handles the messages already queued.
func (c *coordinator) drain() {
	for {
		select {
		case m := <-c.msgs:
			c.handle(m)
		default:
			return
		}
	}
}

// checkLost marks lost every joined worker silent for LostAfter.
func (c *coordinator) checkLost() {
	now := c.o.Now()
	for _, w := range c.workers {
		if w.joined && !w.ended && now.Sub(w.last) > c.o.LostAfter {
			w.ended, w.Status = true, StatusLost
			w.Error = fmt.Sprintf("silent for %v", now.Sub(w.last).Round(time.Millisecond))
			c.o.Logger.Warn("worker lost", "share", w.Share.Index, "worker", w.Name)
		}
	}
}

// count returns how many workers satisfy f.
func (c *coordinator) count(f func(*workerState) bool) int {
	n := 0
	for _, w := range c.workers {
		if f(w) {
			n++
		}
	}
	return n
}

// publish sends v on subject; a failure is logged, and shows later as
// workers that never start or never stop.
func (c *coordinator) publish(subject string, v any) {
	if err := c.nc.Publish(subject, encode(v)); err != nil {
		c.o.Logger.Warn("publish failed", "subject", subject, "err", err)
	}
	_ = c.nc.Flush()
}

// abortAll tells every worker to stop, once.
func (c *coordinator) abortAll(reason string) {
	if c.aborted != "" {
		return
	}
	c.aborted = reason
	c.publish(c.subj.abort, abort{Reason: reason})
}

// generator sums the workers' generator reports.
func sumGenerators(ws []*workerState) loadgen.Report {
	var g loadgen.Report
	for _, w := range ws {
		r := w.Generator
		g.Scheduled += r.Scheduled
		g.Started += r.Started
		g.Dropped += r.Dropped
		g.Late += r.Late
		g.Samples += r.Samples
		g.PeakSockets += r.PeakSockets
		g.HoldEvents += r.HoldEvents
		g.HoldAcks += r.HoldAcks
		g.HoldLost += r.HoldLost
		g.Wall = max(g.Wall, r.Wall)
		g.CPU += r.CPU
		if r.Saturated && !g.Saturated {
			g.Saturated = true
			g.SaturationReason = fmt.Sprintf("worker %s (%s): %s", shareLabel(w.Share), w.Name, r.SaturationReason)
		}
	}
	return g
}

// results returns the results the workers delivered.
func (c *coordinator) results() []*results.Result {
	var rs []*results.Result
	for _, w := range c.workers {
		if w.Result != nil {
			rs = append(rs, w.Result)
		}
	}
	return rs
}
