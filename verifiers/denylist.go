package verifiers

import (
	"context"
	"sync"
	"time"
)

// Denylist says whether a token id (jti) has been revoked. Implementations
// are safe for concurrent use; an error means the answer is unknown and the
// token is rejected with ReasonUnavailable.
type Denylist interface {
	Revoked(ctx context.Context, jti string) (bool, error)
}

// JTIRevoker puts a token id (jti) on a denylist until a time. RedisDenylist
// is one; MemoryDenylist is one through its Revoker method. An error means
// the jti may not be listed.
type JTIRevoker interface {
	Revoke(ctx context.Context, jti string, until time.Time) error
}

// MemoryDenylist is an in-memory Denylist. Each entry is kept until the time
// given to Revoke (the token's exp plus leeway is enough: after that the
// token is rejected as expired anyway). It bumps its revocation generation on
// every Revoke, so cached verifiers drop earlier decisions.
type MemoryDenylist struct {
	clock func() time.Time
	gens  Generations

	mu      sync.RWMutex
	entries map[string]time.Time
}

// NewMemoryDenylist returns an empty denylist; clock nil means time.Now.
func NewMemoryDenylist(clock func() time.Time) *MemoryDenylist {
	if clock == nil {
		clock = time.Now
	}
	return &MemoryDenylist{clock: clock, entries: map[string]time.Time{}}
}

// Revoke lists jti until the given time and sweeps entries that are past
// theirs.
func (d *MemoryDenylist) Revoke(jti string, until time.Time) {
	now := d.clock()
	d.mu.Lock()
	d.entries[jti] = until
	for k, t := range d.entries {
		if now.After(t) {
			delete(d.entries, k)
		}
	}
	d.mu.Unlock()
	d.gens.BumpRevoked()
}

// Revoker returns d as a JTIRevoker, whose Revoke never fails.
func (d *MemoryDenylist) Revoker() JTIRevoker { return memoryRevoker{d} }

// memoryRevoker adapts MemoryDenylist.Revoke to JTIRevoker.
type memoryRevoker struct{ d *MemoryDenylist }

func (r memoryRevoker) Revoke(_ context.Context, jti string, until time.Time) error {
	r.d.Revoke(jti, until)
	return nil
}

// Revoked reports whether jti is listed.
func (d *MemoryDenylist) Revoked(_ context.Context, jti string) (bool, error) {
	d.mu.RLock()
	_, ok := d.entries[jti]
	d.mu.RUnlock()
	return ok, nil
}

// Generations returns the denylist's generation counters.
func (d *MemoryDenylist) Generations() GenerationSource { return &d.gens }
