package verifiers

import (
	"context"
	"fmt"
	"time"
)

// RedisHealth is the state of a Redis connection, for health checks, logs
// and metrics.
type RedisHealth struct {
	// FeedUp is true while the revocation subscription is confirmed and
	// answering; DownSince is when it last went down (zero while up).
	FeedUp    bool
	DownSince time.Time
	// Outages counts transitions of the feed from up to down (the initial
	// connection not included).
	Outages uint64
	// Subscriptions counts subscription confirmations: the first one and one
	// per reconnection.
	Subscriptions uint64
	// Messages counts announcements received, from any process; Malformed
	// those that were not ours to read.
	Messages, Malformed uint64
	// CommandErrors counts store commands that failed (Redis unreachable,
	// too slow for the caller's deadline, or refusing).
	CommandErrors uint64
}

// Health returns the connection's state.
func (r *Redis) Health() RedisHealth {
	f := r.feed
	since := f.downSince()
	return RedisHealth{
		FeedUp: since.IsZero(), DownSince: since,
		Outages: f.outages.Load(), Subscriptions: f.subscriptions.Load(),
		Messages: f.messages.Load(), Malformed: f.bad.Load(),
		CommandErrors: r.commandErrors.Load(),
	}
}

// readyPoll is how often Ready looks at the feed.
const readyPoll = 5 * time.Millisecond

// Ready waits until the revocation feed is up, or ctx ends. A server may
// call it at startup with a bound; until the feed is up, cached decisions
// are served only as the cache's OutageGrace allows.
func (r *Redis) Ready(ctx context.Context) error {
	t := time.NewTicker(readyPoll)
	defer t.Stop()
	for r.feed.down.Load() != 0 {
		select {
		case <-ctx.Done():
			return fmt.Errorf("verifiers: redis revocation feed not up: %w", ctx.Err())
		case <-t.C:
		}
	}
	return nil
}
