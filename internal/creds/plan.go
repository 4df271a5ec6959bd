package creds

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/gatecrash/gatecrash/verifiers"
)

// Spec is one entry of the credential mix.
type Spec struct {
	// Kind is a catalogue name ("jwt-hs256", "jwt-expired", …).
	Kind string
	// Roles are the identity's roles: in the JWT's "roles", the API key's
	// and the session's records. Bad kinds carry them too, so a bad token
	// for /admin fails for its own reason, not for a missing role.
	Roles []string
	// Source is where the credential travels (default verifiers.SourceAuth).
	Source verifiers.Source
	// Weight is the entry's share of the mix, relative to the others
	// (0 means 1).
	Weight float64
}

// Plan says what to mint: Handshakes credentials, each drawn from Mix by
// weight and from Identities identities by Reuse, with a seeded generator.
type Plan struct {
	Identities int
	Reuse      Reuse
	Mix        []Spec
	Handshakes int
	Seed       uint64
}

// entry is a resolved Spec.
type entry struct {
	kind    Kind
	spec    Spec
	records []Record // external records an API key or session kind draws from
}

// slot is one distinct credential to mint: a mix entry and an identity
// index (for ReuseUnique, the handshake index).
type slot struct {
	entry int32
	ident int32
}

// entries validates the plan's mix against cfg: every kind known, every
// weight positive, every placement possible, every kind mintable.
func (p Plan) entries(cfg Config) ([]entry, error) {
	if p.Identities < 1 || p.Handshakes < 1 || len(p.Mix) == 0 {
		return nil, fmt.Errorf("%w: need Identities ≥ 1, Handshakes ≥ 1 and a mix", ErrPlan)
	}
	if p.Identities > math.MaxInt32 || p.Handshakes > math.MaxInt32 {
		return nil, fmt.Errorf("%w: Identities and Handshakes must fit in 31 bits", ErrPlan)
	}
	out := make([]entry, len(p.Mix))
	for i, s := range p.Mix {
		k, err := Lookup(s.Kind)
		if err != nil {
			return nil, err
		}
		s.Roles = slices.Clone(s.Roles)
		if s.Source == "" {
			s.Source = verifiers.SourceAuth
		}
		if s.Weight == 0 {
			s.Weight = 1
		}
		if !(s.Weight > 0) || math.IsInf(s.Weight, 0) {
			return nil, fmt.Errorf("%w: mix entry %d (%s): weight must be > 0", ErrPlan, i, s.Kind)
		}
		if err := checkPlacement(k.Name, k.Method, s.Source); err != nil {
			return nil, err
		}
		if err := cfg.check(k, s.Roles); err != nil {
			return nil, err
		}
		out[i] = entry{kind: k, spec: s}
	}
	return out, nil
}

// draw picks each handshake's entry and identity. It returns, per
// handshake, the index of its slot, and the distinct slots in order of
// first use.
func (p Plan) draw(entries []entry) (order []int32, slots []slot, err error) {
	rng := rand.New(rand.NewPCG(p.Seed, p.Seed^0x9e3779b97f4a7c15))
	pickIdentity, err := newSampler(p.Reuse, p.Identities, rng)
	if err != nil {
		return nil, nil, err
	}
	cum := make([]float64, len(entries))
	total := 0.0
	for i, e := range entries {
		total += e.spec.Weight
		cum[i] = total
	}
	order = make([]int32, p.Handshakes)
	seen := map[slot]int32{}
	for h := range order {
		e := min(sort.SearchFloat64s(cum, rng.Float64()*total), len(entries)-1)
		id := pickIdentity()
		if id < 0 { // unique: a fresh slot per handshake
			order[h] = int32(len(slots))
			slots = append(slots, slot{entry: int32(e), ident: int32(h)})
			continue
		}
		s := slot{entry: int32(e), ident: int32(id)}
		n, ok := seen[s]
		if !ok {
			n = int32(len(slots))
			seen[s] = n
			slots = append(slots, s)
		}
		order[h] = n
	}
	return order, slots, nil
}

// Subject returns the subject of identity i (0-based): user-000001 for 0.
func Subject(i int) string {
	return fmt.Sprintf("user-%06d", i+1)
}
