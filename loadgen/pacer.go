package loadgen

import (
	"math"
	"time"
)

// Pacer gives the intended start times of an open model. Start is pure
// arithmetic on n, so a schedule can be checked without a clock and a
// generator that falls behind still knows when each start was due.
type Pacer interface {
	// Start returns the intended start of the n-th handshake (from 0), as an
	// offset from the run's start, and false when the schedule ends first.
	Start(n uint64) (time.Duration, bool)
}

// PacerFunc adapts a function to Pacer.
type PacerFunc func(n uint64) (time.Duration, bool)

// Start calls f(n).
func (f PacerFunc) Start(n uint64) (time.Duration, bool) { return f(n) }

// Stage is one piece of an open model: the arrival rate moves linearly from
// From to To (handshakes per second) over Duration. From == To is a constant
// rate; consecutive constant stages make steps.
type Stage struct {
	From, To float64
	Duration time.Duration
}

// count is the number of starts a stage schedules: the area under its rate.
func (s Stage) count() float64 {
	return (s.From + s.To) / 2 * s.Duration.Seconds()
}

// at returns the time into the stage of its k-th start (k may be
// fractional, 0 <= k < count). With rate r(t) = a + (b-a)t/D the starts up
// to t number N(t) = a·t + (b-a)t²/(2D); solving N(t) = k gives
// t = 2k / (a + sqrt(a² + 2(b-a)k/D)), which stays exact for a constant rate
// (t = k/a) and for a ramp from zero (a = 0).
func (s Stage) at(k float64) time.Duration {
	if k <= 0 {
		return 0
	}
	a, b, d := s.From, s.To, s.Duration.Seconds()
	t := 2 * k / (a + math.Sqrt(a*a+2*(b-a)*k/d))
	return time.Duration(t * float64(time.Second))
}

// Open is the open load model: handshakes start on schedule whatever the
// server does (constant arrival rate, linear ramps, steps). Latency counts
// from the intended start.
type Open struct {
	Stages []Stage
	// Share and Shares pick one segment of the schedule for a distributed
	// run: the segment's n-th start is the whole schedule's start
	// Share + n×Shares, so Shares segments (Share 0 to Shares-1) together
	// start exactly the whole schedule. Shares of 0 or 1 is the whole.
	Share, Shares int
}

// Start implements Pacer: the stage holding the n-th start, then the time
// into that stage.
func (o Open) Start(n uint64) (time.Duration, bool) {
	if o.Shares > 1 {
		n = n*uint64(o.Shares) + uint64(o.Share)
	}
	var offset time.Duration
	before := 0.0
	k := float64(n)
	for _, s := range o.Stages {
		c := s.count()
		if k < before+c {
			return offset + s.at(k-before), true
		}
		before += c
		offset += s.Duration
	}
	return 0, false
}

// Duration is the schedule's length.
func (o Open) Duration() time.Duration {
	var d time.Duration
	for _, s := range o.Stages {
		d += s.Duration
	}
	return d
}

// Closed is the closed load model: VUs virtual users each loop handshake
// after handshake (connect, ack, close) until Duration has passed or
// Iterations handshakes (over all users) have started; zero disables either
// bound, not both.
type Closed struct {
	VUs        int
	Duration   time.Duration
	Iterations int
}

// Hold is the hold load model: ramp to Sockets concurrent connected sockets
// at an even rate over Ramp, hold them for Hold emitting one event per socket
// every EventEvery (zero: none), then release them all.
type Hold struct {
	Sockets    int
	Ramp       time.Duration
	Hold       time.Duration
	EventEvery time.Duration
}

// pacer schedules the ramp: Sockets starts evenly over Ramp.
func (h Hold) pacer() Pacer {
	if h.Ramp <= 0 {
		return PacerFunc(func(n uint64) (time.Duration, bool) { return 0, n < uint64(h.Sockets) })
	}
	step := h.Ramp / time.Duration(max(h.Sockets, 1))
	return PacerFunc(func(n uint64) (time.Duration, bool) {
		return time.Duration(n) * step, n < uint64(h.Sockets)
	})
}
