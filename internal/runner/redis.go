package runner

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/gatecrash/gatecrash/server"
	"github.com/gatecrash/gatecrash/verifiers"
)

// DefaultRedisReadyTimeout is RedisConfig.ReadyTimeout's default.
const DefaultRedisReadyTimeout = 2 * time.Second

// healthPoll is how often the revocation feed's state is read for the
// audit log: an outage is logged at most this late.
const healthPoll = 100 * time.Millisecond

// RedisConfig keeps the reference server's API keys, sessions and jti
// denylist in a Redis shared with other servers (verifiers/redis.md).
type RedisConfig struct {
	// URL is redis://[user:password@]host:port/db (rediss:// for TLS).
	URL string
	// Options are the connection's options. OnRevoke, when set, is called
	// after the server's own handling (disconnecting the credential's live
	// sockets) has been queued; it must not block either.
	Options verifiers.RedisOptions
	// ReadyTimeout bounds the wait, at start, for the revocation feed to
	// come up; past it StartReference fails. 0 means
	// DefaultRedisReadyTimeout.
	ReadyTimeout time.Duration
}

// redisLink is the Redis connection of a reference server and what it does
// on the feed's behalf: the revocations announced by any process are queued
// here (OnRevoke must not block) and applied to the server by loop, which
// also writes the feed's outages to the audit log.
type redisLink struct {
	r       *verifiers.Redis
	queue   revokeQueue
	stop    chan struct{}
	done    chan struct{}
	started bool
	closed  sync.Once

	// mu makes the loop's disconnection and its record in recent one step,
	// so that disconnect, called by an admin revocation that races the
	// announcement it caused, counts every socket exactly once.
	mu     sync.Mutex
	recent map[string]int // credential id -> sockets the loop disconnected
}

// openRedis connects and waits, within the bound, for the feed.
func openRedis(cfg RedisConfig) (*redisLink, error) {
	l := &redisLink{stop: make(chan struct{}), done: make(chan struct{})}
	l.queue.wake = make(chan struct{}, 1)
	opts := cfg.Options
	user := opts.OnRevoke
	opts.OnRevoke = func(rv verifiers.Revocation) {
		if !rv.Granted {
			l.queue.push(rv.CredentialID)
		}
		if user != nil {
			user(rv)
		}
	}
	r, err := verifiers.OpenRedis(cfg.URL, opts)
	if err != nil {
		return nil, fmt.Errorf("reference server: %w", err)
	}
	l.r = r
	wait := cfg.ReadyTimeout
	if wait <= 0 {
		wait = DefaultRedisReadyTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := r.Ready(ctx); err != nil {
		_ = r.Close()
		return nil, fmt.Errorf("reference server: redis at %s: %w", redactURL(cfg.URL), err)
	}
	return l, nil
}

// redactURL hides a password in a Redis URL.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// start runs loop for srv until close; audit nil discards.
func (l *redisLink) start(srv *server.Server, audit *slog.Logger) {
	if audit == nil {
		audit = slog.New(slog.DiscardHandler)
	}
	l.started = true
	go l.loop(srv, audit)
}

// loop disconnects the sockets of every revoked credential announced, and
// logs the feed going down and coming back.
func (l *redisLink) loop(srv *server.Server, audit *slog.Logger) {
	defer close(l.done)
	t := time.NewTicker(healthPoll)
	defer t.Stop()
	up := true // openRedis saw the feed up
	for {
		select {
		case <-l.stop:
			return
		case <-l.queue.wake:
			for _, id := range l.queue.drain() {
				l.disconnectAnnounced(srv, id)
			}
		case <-t.C:
			up = l.logHealth(audit, up)
		}
	}
}

// maxRecent bounds the loop's record of disconnections: ids revoked by
// other processes are never asked for, so the record is dropped when full.
// An admin revocation that races a drop may then report fewer sockets than
// were disconnected; none stays connected.
const maxRecent = 1024

// disconnectAnnounced disconnects the sockets of a credential announced as
// revoked and records how many.
func (l *redisLink) disconnectAnnounced(srv *server.Server, id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := srv.Revoke(id)
	if n == 0 {
		return
	}
	if l.recent == nil || len(l.recent) >= maxRecent {
		l.recent = map[string]int{}
	}
	l.recent[id] += n
}

// disconnect disconnects the sockets of a credential this process revoked
// and returns how many are gone: those it disconnected and those the
// announcement of the same revocation disconnected first.
func (l *redisLink) disconnect(srv *server.Server, id string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := srv.Revoke(id) + l.recent[id]
	delete(l.recent, id)
	return n
}

// logHealth writes an audit line when the feed's state changed since up, and
// returns the new state.
func (l *redisLink) logHealth(audit *slog.Logger, up bool) bool {
	h := l.r.Health()
	switch {
	case up && !h.FeedUp:
		audit.Warn("redis revocation feed down", "event", "redis_down", "since", h.DownSince,
			"outages", h.Outages, "command_errors", h.CommandErrors)
	case !up && h.FeedUp:
		audit.Info("redis revocation feed up", "event", "redis_up",
			"subscriptions", h.Subscriptions, "command_errors", h.CommandErrors)
	}
	return h.FeedUp
}

// close stops the loop (when started), waits for it, and closes the
// connection.
func (l *redisLink) close() {
	l.closed.Do(func() {
		close(l.stop)
		if l.started {
			<-l.done
		}
		_ = l.r.Close()
	})
}

// revokeQueue is an unbounded queue of credential ids: push never blocks
// and never drops, so a burst of announcements cannot leave a revoked
// socket connected.
type revokeQueue struct {
	mu      sync.Mutex
	pending []string
	wake    chan struct{} // capacity 1: a pending wake-up
}

func (q *revokeQueue) push(id string) {
	q.mu.Lock()
	q.pending = append(q.pending, id)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *revokeQueue) drain() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.pending
	q.pending = nil
	return out
}
