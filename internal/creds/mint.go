package creds

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// ident is the identity a credential is minted for.
type ident struct {
	index   int // identity index; for ReuseUnique, the handshake index
	subject string
	roles   []string
	alg     string   // the kind's JWS algorithm, "" for Config.Keys[0]
	records []Record // external records of the kind, in external mode
}

// minted is a mint function's result: the credential value and the subject
// it names (which differs from ident.subject for external records).
type minted struct {
	value   string
	subject string
}

// mintFunc mints one credential of a kind.
type mintFunc func(m *minter, id ident) (minted, error)

// minter holds what mint functions share during one Mint.
type minter struct {
	ctx context.Context
	cfg Config
}

// Mint mints the credentials plan asks for from cfg's material: first it
// validates everything (unknown kind, impossible placement, missing
// material: errors naming the kind), then it draws every handshake's kind
// and identity, then mints each distinct credential once, on cfg.Workers
// goroutines. It stops at the first error or when ctx is done.
//
// The cost is that of signing each distinct JWT: on a 2-core machine 100 000
// distinct credentials took about 1 s for HS256, 3 s for ES256 or EdDSA, and
// nearly 5 minutes for RS256 (BenchmarkMint100k). Plans with RSA keys should
// reuse identities (ReuseUniform, ReuseZipf) or keep ReuseUnique runs small.
func Mint(ctx context.Context, cfg Config, plan Plan) (*Set, error) {
	return mintShare(ctx, cfg, plan, Share{})
}

// mintAll mints every slot. Kinds marked late (session-expired) are minted
// after all the others, one at a time; see mintSessionExpired.
func (m *minter) mintAll(entries []entry, slots []slot, identities int) ([]Credential, error) {
	out := make([]Credential, len(slots))
	var early, late []int
	for i, s := range slots {
		if entries[s.entry].kind.Name == lateKind {
			late = append(late, i)
		} else {
			early = append(early, i)
		}
	}
	mintOne := func(i int) error {
		e := &entries[slots[i].entry]
		c, err := m.mint(e, int(slots[i].ident), identities)
		out[i] = c
		return err
	}
	if err := m.parallel(early, mintOne); err != nil {
		return nil, err
	}
	for _, i := range late {
		if err := m.ctx.Err(); err != nil {
			return nil, fmt.Errorf("creds: mint: %w", err)
		}
		if err := mintOne(i); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// parallel runs f on every index on cfg.Workers goroutines and returns the
// first error (or ctx's), after which no new index is started.
func (m *minter) parallel(idx []int, f func(int) error) error {
	var (
		next    atomic.Int64
		errOnce sync.Once
		first   error
		wg      sync.WaitGroup
	)
	fail := func(err error) { errOnce.Do(func() { first = err }); next.Store(int64(len(idx))) }
	for range min(m.cfg.Workers, len(idx)) {
		wg.Go(func() {
			for {
				n := next.Add(1) - 1
				if n >= int64(len(idx)) {
					return
				}
				if err := m.ctx.Err(); err != nil {
					fail(fmt.Errorf("creds: mint: %w", err))
					return
				}
				if err := f(idx[n]); err != nil {
					fail(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}

// mint mints the credential of one slot.
func (m *minter) mint(e *entry, index, identities int) (Credential, error) {
	id := ident{index: index, subject: Subject(index % identities), roles: e.spec.Roles,
		alg: e.kind.Alg, records: e.records}
	got, err := e.kind.mint(m, id)
	if err != nil {
		return Credential{}, fmt.Errorf("creds: mint %s for %s: %w", e.kind.Name, id.subject, err)
	}
	return Credential{
		Kind:    e.kind.Name,
		Method:  e.kind.Method,
		Source:  e.spec.Source,
		Subject: got.subject,
		Value:   got.value,
		entry:   e,
		wire:    wireFor(e.kind.Method, e.spec.Source, got.value, m.cfg.SessionCookie),
	}, nil
}

func mintNothing(_ *minter, id ident) (minted, error) {
	return minted{subject: id.subject}, nil
}
