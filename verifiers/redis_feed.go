package verifiers

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Revocation is one change published on the revocation channel.
type Revocation struct {
	// Method is the kind of credential: MethodAPIKey, MethodSession or
	// MethodJWT (a jti denylisted).
	Method Method
	// Granted is true for a grant (an API key created), false for a
	// revocation.
	Granted bool
	// CredentialID is the Identity.CredentialID of the credential: the API
	// key id, the session id's fingerprint, the jti. Never a secret.
	CredentialID string
}

// The channel carries "<method> <op> <credential id>"; op is one of these.
const (
	opRevoked = "revoked"
	opGranted = "granted"
)

func (rv Revocation) message() string {
	op := opRevoked
	if rv.Granted {
		op = opGranted
	}
	return string(rv.Method) + " " + op + " " + rv.CredentialID
}

func parseRevocation(msg string) (Revocation, bool) {
	parts := strings.SplitN(msg, " ", 3)
	if len(parts) != 3 || parts[1] != opRevoked && parts[1] != opGranted {
		return Revocation{}, false
	}
	return Revocation{Method: Method(parts[0]), Granted: parts[1] == opGranted, CredentialID: parts[2]}, true
}

// Reconnection backoff of the feed while Redis is unreachable.
const (
	feedMinBackoff = 20 * time.Millisecond
	feedMaxBackoff = 500 * time.Millisecond
)

// redisFeed is the subscription to the revocation channel and the state the
// caches read: down is the outage start in Unix nanoseconds, 0 while the
// subscription is confirmed and answering.
type redisFeed struct {
	r      *Redis
	ps     *redis.PubSub
	cancel context.CancelFunc
	done   chan struct{}

	down                                  atomic.Int64
	outages, subscriptions, messages, bad atomic.Uint64
}

// startFeed subscribes and starts the receiving goroutine. The feed starts
// down: no revocation is known to reach this process until Redis confirms
// the subscription.
func startFeed(r *Redis) *redisFeed {
	ctx, cancel := context.WithCancel(context.Background())
	f := &redisFeed{r: r, cancel: cancel, done: make(chan struct{})}
	if r.opts.NoFeed {
		close(f.done)
		return f
	}
	f.down.Store(r.now().UnixNano())
	f.ps = r.client.Subscribe(ctx, r.chname) // an error here is retried by run
	go f.run(ctx)
	return f
}

func (f *redisFeed) stop() {
	f.cancel()
	if f.ps != nil {
		_ = f.ps.Close() // unblocks a pending receive
	}
	<-f.done
}

func (f *redisFeed) downSince() time.Time {
	if ns := f.down.Load(); ns != 0 {
		return time.Unix(0, ns)
	}
	return time.Time{}
}

// run receives until stopped. A silent connection is pinged after one
// HealthInterval; no answer within another marks the feed down. A broken
// connection marks it down at once; go-redis reconnects and resubscribes on
// the next receive, and the confirmation brings the feed back up.
func (f *redisFeed) run(ctx context.Context) {
	defer close(f.done)
	interval := f.r.opts.HealthInterval
	backoff, pinged := feedMinBackoff, false
	for ctx.Err() == nil {
		msg, err := f.ps.ReceiveTimeout(ctx, interval)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			if isTimeout(err) && !pinged {
				pinged = true
				if f.ps.Ping(ctx) == nil {
					continue
				}
			}
			f.lost()
			pinged = false
			sleepCtx(ctx, backoff)
			backoff = min(2*backoff, feedMaxBackoff)
			continue
		}
		pinged, backoff = false, feedMinBackoff
		f.handle(msg)
	}
}

// handle applies one message. A subscription confirmation, or any answer
// after an outage, bumps every store's generations: revocations published
// while the feed was down were lost, so every earlier cached decision is
// suspect.
func (f *redisFeed) handle(msg any) {
	switch m := msg.(type) {
	case *redis.Subscription:
		if m.Kind == "subscribe" {
			f.subscriptions.Add(1)
			f.up(true)
		}
	case *redis.Message:
		f.up(false)
		f.messages.Add(1)
		rv, ok := parseRevocation(m.Payload)
		if !ok {
			f.bad.Add(1)
			return
		}
		f.apply(rv)
	case *redis.Pong:
		f.up(false)
	}
}

// apply bumps the generations of the store the change belongs to and tells
// OnRevoke. The change is already visible in Redis: it was published after.
func (f *redisFeed) apply(rv Revocation) {
	g := f.generationsFor(rv.Method)
	if g == nil {
		f.bad.Add(1)
		return
	}
	if rv.Granted {
		g.BumpGranted()
	} else {
		g.BumpRevoked()
	}
	if cb := f.r.opts.OnRevoke; cb != nil {
		cb(rv)
	}
}

func (f *redisFeed) generationsFor(m Method) *redisGenerations {
	switch m {
	case MethodAPIKey:
		return &f.r.apiKeys
	case MethodSession:
		return &f.r.sessions
	case MethodJWT:
		return &f.r.denylist
	}
	return nil
}

// up marks the feed up. Leaving an outage (or resubscribing, always) first
// bumps all generations, so no entry cached before the outage is served as
// fresh once the feed reads as up. Only the feed's goroutine writes down.
func (f *redisFeed) up(resubscribed bool) {
	if f.down.Load() != 0 || resubscribed {
		for _, g := range []*redisGenerations{&f.r.apiKeys, &f.r.sessions, &f.r.denylist} {
			g.BumpRevoked()
			g.BumpGranted()
		}
	}
	f.down.Store(0)
}

// lost marks the feed down, keeping the start of an ongoing outage.
func (f *redisFeed) lost() {
	if f.down.CompareAndSwap(0, f.r.now().UnixNano()) {
		f.outages.Add(1)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
