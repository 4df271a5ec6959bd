package audit

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// limiter spaces the starts of handshakes Rate a second apart and counts them
// against MaxRequests. Waits are real time (time.Timer): the rate protects
// the target, so it is not a clock a test should fake.
type limiter struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time
	used     int
	max      int
}

func newLimiter(rate float64, max int) *limiter {
	return &limiter{interval: time.Duration(float64(time.Second) / rate), max: max}
}

// wait blocks until the next handshake may start, or fails with ErrBudget
// when the budget is spent or with ctx's error.
func (l *limiter) wait(ctx context.Context) error {
	l.mu.Lock()
	if l.used >= l.max {
		l.mu.Unlock()
		return fmt.Errorf("%w: %d handshakes used", ErrBudget, l.used)
	}
	l.used++
	now := time.Now()
	start := l.next
	if start.Before(now) {
		start = now
	}
	l.next = start.Add(l.interval)
	l.mu.Unlock()

	d := time.Until(start)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// count returns the handshakes started so far.
func (l *limiter) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.used
}
