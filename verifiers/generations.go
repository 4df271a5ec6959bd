package verifiers

import (
	"context"
	"sync/atomic"
)

// Generations are two counters a store bumps when a decision it backs may
// change: Revoked after anything that can turn an acceptance into a rejection
// (a key revoked, a jti denylisted), Granted after anything that can turn a
// rejection into an acceptance (a key created). A cache tags each entry with
// the generation read before its verification started and treats an entry
// with an older generation as a miss. A store must make its change visible
// before bumping, so a verification that reads the new generation also sees
// the change. The zero value is ready to use.
type Generations struct {
	revoked atomic.Uint64
	granted atomic.Uint64
}

// Revoked returns the current revocation generation.
func (g *Generations) Revoked() uint64 { return g.revoked.Load() }

// Granted returns the current grant generation.
func (g *Generations) Granted() uint64 { return g.granted.Load() }

// BumpRevoked records that a revocation happened. Call it after the
// revocation is visible to verifications.
func (g *Generations) BumpRevoked() { g.revoked.Add(1) }

// BumpGranted records that a grant happened. Call it after the grant is
// visible to verifications.
func (g *Generations) BumpGranted() { g.granted.Add(1) }

// Revocable is implemented by verifiers whose decisions can change after they
// are made because a store behind them changes. Generations returns the
// counters of that store; nil means decisions never change.
type Revocable interface {
	Generations() *Generations
}

// Rechecker is implemented by verifiers whose acceptance must be confirmed on
// every use, even when cached: a session's record slides its idle timeout on
// each verification and may be destroyed at any time. Recheck is cheaper than
// Verify and returns an error carrying a Reason when the identity no longer
// holds; a cache then falls back to full verification.
type Rechecker interface {
	Recheck(ctx context.Context, cred Credential, id Identity) error
}
