package verifiers

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis defaults. See RedisOptions.
const (
	DefaultRedisPrefix         = "gatecrash:"
	DefaultRedisRetention      = time.Hour
	DefaultRedisHealthInterval = time.Second
)

// RedisOptions configure NewRedis and OpenRedis.
type RedisOptions struct {
	// Prefix starts every key and the revocation channel's name, so several
	// deployments (or tests) can share one Redis; "" means "gatecrash:".
	Prefix string
	// Retention is how long a record is kept past its own expiry, so a late
	// presentation is rejected as expired rather than unknown; 0 means one
	// hour, negative means none (the key expires with its record).
	Retention time.Duration
	// HealthInterval is how long the revocation feed may stay silent before
	// it pings Redis; a ping unanswered for as long again marks the feed
	// down. 0 means one second. It bounds how late a hung (not crashed)
	// Redis is noticed: about twice this.
	HealthInterval time.Duration
	// Clock returns the current time for record timestamps, TTLs and the
	// outage start; nil means time.Now. Share it with the verifiers.
	Clock func() time.Time
	// NoFeed skips the revocation subscription: revocations made by other
	// processes then reach this process's caches only as entries expire
	// (CacheConfig.MaxTTL), and no outage is ever reported. For measuring
	// that bound, and for Redis deployments without pub/sub.
	NoFeed bool
	// OnRevoke, when set, is called for every revocation published on the
	// channel, by any process (this one included), from the feed's
	// goroutine: it must not block. A server uses it to disconnect the live
	// sockets of the credential.
	OnRevoke func(Revocation)
}

func (o RedisOptions) withDefaults() RedisOptions {
	if o.Prefix == "" {
		o.Prefix = DefaultRedisPrefix
	}
	if o.Retention == 0 {
		o.Retention = DefaultRedisRetention
	}
	if o.Retention < 0 {
		o.Retention = 0
	}
	if o.HealthInterval <= 0 {
		o.HealthInterval = DefaultRedisHealthInterval
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	return o
}

// Redis is one connection to a Redis shared by the Redis-backed stores: the
// client, the key prefix, and the revocation feed (a pub/sub subscription)
// that bumps each store's Generations when any process revokes or grants,
// so every Cached verifier over these stores drops decisions made before.
// The key layout is in redis.md beside this file.
type Redis struct {
	client redis.UniversalClient
	owned  bool // OpenRedis made the client; Close closes it
	opts   RedisOptions
	keys   string // key prefixes per record kind
	sess   string
	jtis   string
	chname string // the revocation channel

	apiKeys, sessions, denylist redisGenerations
	feed                        *redisFeed
	commandErrors               atomic.Uint64
}

// ErrRedisClosed is returned by store calls after Redis.Close.
var ErrRedisClosed = errors.New("verifiers: redis connection closed")

// OpenRedis connects to the Redis at url (redis://[user:password@]host:port/db
// or rediss:// for TLS) and starts the revocation feed. Commands honour their
// context's deadline, and a refused connection is retried once, not five
// times, so an outage is noticed (and answered) quickly. It does not wait for
// Redis: while Redis is down, store calls fail (verifications reject with
// ReasonUnavailable) and the feed retries on its own. Close closes the
// client.
//
// go-redis logs dial failures through its own global logger (stderr by
// default); a program that wants them elsewhere calls redis.SetLogger.
func OpenRedis(url string, opts RedisOptions) (*Redis, error) {
	o, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("%w: redis URL: %w", ErrConfig, err)
	}
	o.ContextTimeoutEnabled = true
	o.DialerRetries = 1
	r := NewRedis(redis.NewClient(o), opts)
	r.owned = true
	return r, nil
}

// NewRedis uses client (which the caller keeps and closes after Close) and
// starts the revocation feed. The client should have ContextTimeoutEnabled
// set: without it go-redis ignores context deadlines and a hung Redis holds a
// verification for the client's ReadTimeout (3 s by default) instead.
func NewRedis(client redis.UniversalClient, opts RedisOptions) *Redis {
	o := opts.withDefaults()
	r := &Redis{
		client: client, opts: o,
		keys: o.Prefix + "apikey:", sess: o.Prefix + "session:", jtis: o.Prefix + "jti:",
		chname: o.Prefix + "revocations",
	}
	r.feed = startFeed(r)
	r.apiKeys.feed, r.sessions.feed, r.denylist.feed = r.feed, r.feed, r.feed
	return r
}

// KeyStore returns the API-key store.
func (r *Redis) KeyStore() *RedisKeyStore { return &RedisKeyStore{r: r} }

// SessionStore returns the session store.
func (r *Redis) SessionStore() *RedisSessionStore { return &RedisSessionStore{r: r} }

// Denylist returns the JWT jti denylist.
func (r *Redis) Denylist() *RedisDenylist { return &RedisDenylist{r: r} }

// Close stops the feed and, for OpenRedis, closes the client. Stores made
// from r fail afterwards.
func (r *Redis) Close() error {
	r.feed.stop()
	if r.owned {
		return r.client.Close()
	}
	return nil
}

// now is the options' clock.
func (r *Redis) now() time.Time { return r.opts.Clock() }

// ttl returns how long a record expiring at expires is kept, retention
// included, in milliseconds and at least 1 (Redis refuses 0).
func (r *Redis) ttl(expires time.Time) int64 {
	ms := expires.Add(r.opts.Retention).Sub(r.now()).Milliseconds()
	return max(ms, 1)
}

// storeErr counts a failed command and wraps it. redis.Nil (no such key)
// is returned as is: callers turn it into their not-found sentinel.
func (r *Redis) storeErr(op string, err error) error {
	switch {
	case errors.Is(err, redis.Nil):
		return err
	case errors.Is(err, redis.ErrClosed):
		return fmt.Errorf("verifiers: redis %s: %w", op, ErrRedisClosed)
	}
	r.commandErrors.Add(1)
	return fmt.Errorf("verifiers: redis %s: %w", op, err)
}

// redisGenerations are one store's counters; they also report the feed's
// outage, so a Cached verifier over the store knows when revocations may be
// missed (OutageSource).
type redisGenerations struct {
	Generations
	feed *redisFeed
}

// DownSince returns when the revocation feed went down, zero while it is up.
func (g *redisGenerations) DownSince() time.Time { return g.feed.downSince() }
