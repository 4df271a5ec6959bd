package verifiers

import (
	"sync/atomic"
	"time"
)

// reanchorEvery is how often, in monotonic time, a monotonicClock reads the
// wall clock again.
const reanchorEvery = time.Second

// monotonicClock is the default clock of verifiers whose cached hits read the
// time: on this project's machines time.Now costs ~150 ns under load (the
// wall-clock read), about half of a cached hit's budget, while the monotonic
// clock alone costs a fifth of that. Now returns the anchor plus the
// monotonic time elapsed since it, and re-reads the wall clock once per
// reanchorEvery.
//
// Its times carry a monotonic reading equal to time.Now's, so comparing them
// with other times that carry one (records created with time.Now, like the
// memory stores') gives exactly time.Now's answer. Known limit: compared
// with wall-only times (read back from Redis, parsed from a token), a step of
// the wall clock (not a slew, which moves both clocks alike) is seen up to
// reanchorEvery late: until then expiries are judged on the time before the
// step.
type monotonicClock struct {
	anchor atomic.Pointer[time.Time]
}

func newMonotonicClock() *monotonicClock {
	c := &monotonicClock{}
	now := time.Now()
	c.anchor.Store(&now)
	return c
}

// Now returns the current time as described on monotonicClock.
func (c *monotonicClock) Now() time.Time {
	anchor := c.anchor.Load()
	return c.at(anchor, time.Since(*anchor))
}

// At returns what Now would have returned at the instant mono, a time that
// carries a monotonic reading (taken just before by a caller that needed
// one anyway), without reading the clock again while the anchor is fresh.
func (c *monotonicClock) At(mono time.Time) time.Time {
	anchor := c.anchor.Load()
	return c.at(anchor, mono.Sub(*anchor))
}

func (c *monotonicClock) at(anchor *time.Time, d time.Duration) time.Time {
	if d > -reanchorEvery && d < reanchorEvery { // mono may precede a fresh anchor
		return anchor.Add(d)
	}
	now := time.Now()
	c.anchor.CompareAndSwap(anchor, &now)
	return now
}
