package creds

import (
	"context"
	"fmt"
)

// Share names one segment of a plan's handshakes for a distributed run:
// handshakes Index, Index+Count, Index+2×Count, … of the whole plan.
// Count segments (Index 0 to Count-1) together cover the plan exactly once.
type Share struct {
	Index, Count int
}

// Whole reports whether s is the whole plan (Count of 0 or 1).
func (s Share) Whole() bool { return s.Count <= 1 }

// Len returns how many of n handshakes fall in the share.
func (s Share) Len(n int) int {
	if s.Whole() {
		return n
	}
	if n <= s.Index {
		return 0
	}
	return (n-s.Index-1)/s.Count + 1
}

// Valid reports a share whose index is outside [0, Count).
func (s Share) Valid() error {
	if s.Count < 0 || !s.Whole() && (s.Index < 0 || s.Index >= s.Count) {
		return fmt.Errorf("%w: share %d of %d", ErrPlan, s.Index, s.Count)
	}
	return nil
}

// MintShare is Mint for one share of plan: it draws every handshake's kind
// and identity exactly as Mint does, then mints only the credentials the
// share's handshakes use. The returned Set's handshake j is handshake
// share.Index + j×share.Count of the whole plan, with the same kind and
// identity Mint would give it, so the shares of a distributed run present
// what one machine would have presented (the values of minted credentials
// differ, as between two Mint calls).
func MintShare(ctx context.Context, cfg Config, plan Plan, share Share) (*Set, error) {
	if err := share.Valid(); err != nil {
		return nil, err
	}
	return mintShare(ctx, cfg, plan, share)
}

// mintShare validates, draws for the whole plan, keeps the share's
// handshakes and mints the distinct credentials they use.
func mintShare(ctx context.Context, cfg Config, plan Plan, share Share) (*Set, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	entries, err := plan.entries(cfg)
	if err != nil {
		return nil, err
	}
	order, slots, err := plan.draw(entries)
	if err != nil {
		return nil, err
	}
	if !share.Whole() {
		order, slots = share.keep(order, slots)
		if len(order) == 0 {
			return nil, fmt.Errorf("%w: share %d of %d has no handshake of %d", ErrPlan,
				share.Index, share.Count, plan.Handshakes)
		}
	}
	for i, e := range entries {
		if e.kind.need == needAPIKeys || e.kind.need == needSessions {
			entries[i].records = cfg.Records.match(e.kind, e.spec.Roles)
		}
	}
	m := &minter{ctx: ctx, cfg: cfg}
	distinct, err := m.mintAll(entries, slots, plan.Identities)
	if err != nil {
		return nil, err
	}
	return &Set{distinct: distinct, order: order}, nil
}

// keep returns the share's handshakes and the slots they use, renumbered in
// order of first use.
func (s Share) keep(order []int32, slots []slot) ([]int32, []slot) {
	out := make([]int32, 0, s.Len(len(order)))
	renum := map[int32]int32{}
	var kept []slot
	for h := s.Index; h < len(order); h += s.Count {
		n, ok := renum[order[h]]
		if !ok {
			n = int32(len(kept))
			renum[order[h]] = n
			kept = append(kept, slots[order[h]])
		}
		out = append(out, n)
	}
	return out, kept
}
