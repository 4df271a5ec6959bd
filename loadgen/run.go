package loadgen

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatecrash/gatecrash/results"
)

// runner is one run's shared state.
type runner struct {
	plan    Plan
	att     attempt
	sink    Sink
	wg      sync.WaitGroup
	next    atomic.Uint64 // handshake index
	open    atomic.Int64  // sockets open now
	peak    atomic.Int64
	samples atomic.Uint64
	late    atomic.Uint64
}

// Run executes plan, recording one sample per namespace CONNECT to sink, and
// returns when the schedule ends or ctx is cancelled; samples recorded
// before a cancellation stay recorded, and handshakes cut short are not
// recorded. It checks capacity before anything starts: a plan that cannot
// fit the open-file limit or the ephemeral ports fails with ErrCapacity.
func Run(ctx context.Context, plan Plan, sink Sink) (Report, error) {
	p := plan.withDefaults()
	if err := p.validate(); err != nil {
		return Report{}, err
	}
	capa, err := CheckCapacity(p.Sockets(), p.EmbeddedServer, len(p.SourceAddrs))
	if err != nil {
		return Report{Capacity: capa}, err
	}
	d, err := NewDialer(p.URL, dialOptions(p))
	if err != nil {
		return Report{}, err
	}
	r := &runner{plan: p, sink: sink}
	r.att = attempt{dialer: d, timeout: p.Timeout, late: p.LateTolerance, now: p.Now}
	if p.AckEvent != "" {
		r.att.ackArgs = appendJSONString([]byte{'['}, p.AckEvent)
	}

	rep := Report{Capacity: capa}
	cpu0, start := cpuTime(), p.Now()
	r.att.runStart = start
	switch m := p.Model.(type) {
	case Open:
		r.openLoop(ctx, m, start, &rep)
	case Closed:
		r.closedLoop(ctx, m, start, &rep)
	case Hold:
		r.holdLoop(ctx, m, start, &rep)
	}
	r.wg.Wait()
	rep.Wall, rep.CPU = p.Now().Sub(start), cpuTime()-cpu0
	rep.Samples, rep.PeakSockets, rep.Late = r.samples.Load(), r.peak.Load(), r.late.Load()
	rep.judge()
	return rep, nil
}

func dialOptions(p Plan) *DialOptions {
	var o DialOptions
	if p.Dial != nil {
		o = *p.Dial
	}
	o.Path, o.TLS, o.Now = p.Path, p.TLS, p.Now
	return &o
}

// openLoop starts handshakes at the pacer's times, each on its own
// goroutine, until the schedule ends or ctx is cancelled. A start due while
// MaxInFlight handshakes run is dropped.
func (r *runner) openLoop(ctx context.Context, pacer Pacer, start time.Time, rep *Report) {
	var inFlight atomic.Int64
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	var prev time.Duration
	for n := uint64(0); ; n++ {
		at, ok := pacer.Start(n)
		lead := leadFor(at - prev)
		prev = at
		if !ok || !r.waitUntil(ctx, timer, start.Add(at-lead)) {
			return
		}
		rep.Scheduled++
		if inFlight.Load() >= int64(r.plan.MaxInFlight) {
			rep.Dropped++
			continue
		}
		rep.Started++
		inFlight.Add(1)
		r.wg.Add(1)
		go func(intended time.Time) {
			defer r.wg.Done()
			defer inFlight.Add(-1)
			r.sleepUntil(intended)
			r.one(ctx, intended, false)
		}(start.Add(at))
	}
}

// startLead is how early the pacer wakes and starts a handshake's goroutine,
// which then sleeps the rest of the way with sleepUntil. The runtime's timers
// fire up to about 1 ms late when the process is otherwise idle (the poller
// waits in whole milliseconds), which alone would break a 1 ms start
// accuracy; a thread sleep for the last stretch does not.
const startLead = time.Millisecond

// leadFor returns the lead for a start that comes gap after the previous
// one. Only sparse starts (gaps of startLead or more) get it: the thread
// sleep costs about 15% more CPU per handshake, and when starts are closer
// the runtime is busy enough that its timers fire on time anyway.
func leadFor(gap time.Duration) time.Duration {
	if gap >= startLead {
		return startLead
	}
	return 0
}

// sleepUntil blocks the calling goroutine's thread until t (at most
// startLead when called as intended); past t it returns at once.
func (r *runner) sleepUntil(t time.Time) {
	if d := t.Sub(r.plan.Now()); d > 0 {
		preciseSleep(min(d, startLead))
	}
}

// waitUntil sleeps until t; it returns false when ctx ends first.
func (r *runner) waitUntil(ctx context.Context, timer *time.Timer, t time.Time) bool {
	d := t.Sub(r.plan.Now())
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer.Reset(d)
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// closedLoop runs VUs users back to back until the duration or iteration
// bound.
func (r *runner) closedLoop(ctx context.Context, m Closed, start time.Time, rep *Report) {
	var started atomic.Uint64
	end := start.Add(m.Duration)
	for range m.VUs {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			for ctx.Err() == nil && (m.Duration <= 0 || r.plan.Now().Before(end)) {
				if i := started.Add(1); m.Iterations > 0 && i > uint64(m.Iterations) {
					return
				}
				r.one(ctx, r.plan.Now(), false)
			}
		}()
	}
	r.wg.Wait()
	rep.Started = started.Load() // counts each user's last, refused, claim too
	if m.Iterations > 0 {
		rep.Started = min(rep.Started, uint64(m.Iterations))
	}
	rep.Scheduled = rep.Started
}

// one runs the next handshake and records its samples; with keep it
// returns the connection if every namespace was accepted, and the
// handshake it ran.
func (r *runner) one(ctx context.Context, intended time.Time, keep bool) (*Conn, *Handshake) {
	i := r.next.Add(1) - 1
	s := start{hs: &r.plan.Handshakes[i%uint64(len(r.plan.Handshakes))], intended: intended}
	if src := r.plan.SourceAddrs; len(src) > 0 {
		s.local = src[i%uint64(len(src))]
	}
	var buf [4]results.Sample
	r.trackOpen(1)
	samples, c := r.att.run(ctx, s, keep, buf[:0])
	if c == nil {
		r.trackOpen(-1)
	}
	for _, sm := range samples {
		r.sink.Record(sm)
	}
	r.samples.Add(uint64(len(samples)))
	if len(samples) > 0 && samples[0].Late {
		r.late.Add(1)
	}
	return c, s.hs
}

// trackOpen counts sockets open (from dial start to close) and their peak.
func (r *runner) trackOpen(delta int64) {
	n := r.open.Add(delta)
	for {
		p := r.peak.Load()
		if n <= p || r.peak.CompareAndSwap(p, n) {
			return
		}
	}
}
