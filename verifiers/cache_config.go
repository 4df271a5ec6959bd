package verifiers

import (
	"fmt"
	"time"
)

// Cache defaults and bounds.
const (
	DefaultCacheMaxCost     = 64 << 20 // bytes
	DefaultCacheNumCounters = 1_000_000
	DefaultCacheMaxTTL      = 5 * time.Minute
	// MaxNegativeTTL bounds CacheConfig.NegativeTTL: a rejection cached longer
	// would keep a newly created key out for too long (CASES I-06).
	MaxNegativeTTL = 5 * time.Second
)

// CacheConfig configures NewCached. The zero value is a sensible positive-only
// cache.
type CacheConfig struct {
	// MaxCost is the cache budget in bytes (approximate: credential length
	// plus a fixed overhead per entry); 0 means 64 MiB.
	MaxCost int64
	// NumCounters sizes the admission sketch, about 10× the entries expected;
	// 0 means 1e6.
	NumCounters int64
	// MaxTTL bounds how long any acceptance is reused; 0 means 5 minutes. An
	// acceptance is never reused past the identity's Expires either.
	MaxTTL time.Duration
	// NegativeTTL, when positive, caches definitive rejections for that long
	// (at most MaxNegativeTTL). Zero disables negative caching.
	NegativeTTL time.Duration
	// MaxCredentialLength: longer credentials bypass the cache and go to the
	// wrapped verifier, which decides (CASES I-09); 0 means
	// DefaultMaxTokenLength.
	MaxCredentialLength int
	// Clock returns the current time; nil means time.Now (read through the
	// cheaper monotonic clock on hits). Set it only to inject a test clock,
	// the same as the wrapped verifier's.
	Clock func() time.Time
	// OutageGrace is how long after its store reported an outage (see
	// OutageSource: the Redis stores' revocation feed is down) positive
	// entries are still served; after it they are misses, verified in full
	// (which fails closed while the store is down). 0 means
	// DefaultOutageGrace; negative means never during an outage; a value
	// of MaxTTL or more serves entries for their whole life. Revocations
	// made elsewhere during the outage may be missed for up to this long.
	// Sessions are rechecked in the store on every hit, so an outage
	// rejects them at once whatever the grace.
	OutageGrace time.Duration
	// Metrics turns on ristretto's own counters (keys added and evicted, sets
	// dropped and rejected) in Stats. They cost throughput on every Get;
	// hits, misses, hit ratio and cost are counted either way.
	Metrics bool
}

func (cfg CacheConfig) withDefaults() (CacheConfig, error) {
	if cfg.MaxCost < 0 || cfg.NumCounters < 0 || cfg.MaxTTL < 0 || cfg.NegativeTTL < 0 ||
		cfg.MaxCredentialLength < 0 {
		return cfg, fmt.Errorf("%w: negative cache setting", ErrConfig)
	}
	if cfg.NegativeTTL > MaxNegativeTTL {
		return cfg, fmt.Errorf("%w: NegativeTTL above %s", ErrConfig, MaxNegativeTTL)
	}
	if cfg.MaxCost == 0 {
		cfg.MaxCost = DefaultCacheMaxCost
	}
	if cfg.NumCounters == 0 {
		cfg.NumCounters = DefaultCacheNumCounters
	}
	if cfg.MaxTTL == 0 {
		cfg.MaxTTL = DefaultCacheMaxTTL
	}
	if cfg.OutageGrace == 0 {
		cfg.OutageGrace = DefaultOutageGrace
	}
	if cfg.MaxCredentialLength == 0 {
		cfg.MaxCredentialLength = DefaultMaxTokenLength
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	return cfg, nil
}
