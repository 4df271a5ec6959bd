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

// GenerationSource reads generation counters. *Generations is one; a
// verifier backed by several stores combines theirs with CombineGenerations.
type GenerationSource interface {
	Revoked() uint64
	Granted() uint64
}

// Revocable is implemented by verifiers and stores whose decisions can change
// after they are made. Generations returns the counters to watch; nil means
// decisions never change.
type Revocable interface {
	Generations() GenerationSource
}

// CombineGenerations returns a source whose counters change whenever any of
// the given sources' do (it sums them; each is monotonic). Nil sources are
// skipped; with none left it returns nil.
func CombineGenerations(sources ...GenerationSource) GenerationSource {
	var live combinedGenerations
	for _, s := range sources {
		if s != nil {
			live = append(live, s)
		}
	}
	switch len(live) {
	case 0:
		return nil
	case 1:
		return live[0]
	}
	return withOutage(live)
}

type combinedGenerations []GenerationSource

func (c combinedGenerations) Revoked() uint64 {
	var n uint64
	for _, s := range c {
		n += s.Revoked()
	}
	return n
}

func (c combinedGenerations) Granted() uint64 {
	var n uint64
	for _, s := range c {
		n += s.Granted()
	}
	return n
}

// generationsOf returns x's generations when it publishes them.
func generationsOf(x any) GenerationSource {
	if r, ok := x.(Revocable); ok {
		return r.Generations()
	}
	return nil
}

// Rechecker is implemented by verifiers whose acceptance must be confirmed on
// every use, even when cached: a session's record slides its idle timeout on
// each verification and may be destroyed at any time. Recheck is cheaper than
// Verify and returns an error carrying a Reason when the identity no longer
// holds; a cache then falls back to full verification.
type Rechecker interface {
	Recheck(ctx context.Context, cred Credential, id Identity) error
}
