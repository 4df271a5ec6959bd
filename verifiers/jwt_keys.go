package verifiers

import (
	"context"
	"fmt"
)

// keySource finds the verification key for a token's kid and alg. Errors
// carry a Reason. hasKID is false when the header has no kid.
type keySource interface {
	lookup(ctx context.Context, kid string, hasKID bool, alg string) (any, error)
	algorithms() []string
	close()
}

// staticKeys is a fixed key set indexed by kid.
type staticKeys struct {
	byKID map[string]VerificationKey
	// only is the single configured key, used for tokens without kid; nil
	// when there are several keys, so a kid-less token cannot make the
	// verifier try every key (CASES B-17).
	only *VerificationKey
	algs []string
}

func newStaticKeys(keys []VerificationKey) (*staticKeys, error) {
	s := &staticKeys{byKID: make(map[string]VerificationKey, len(keys))}
	seen := map[string]bool{}
	for _, k := range keys {
		if err := checkPublicKey(k.Alg, k.Key); err != nil {
			return nil, fmt.Errorf("%w: key %q: %w", ErrConfig, k.KID, err)
		}
		if !validKID(k.KID) {
			return nil, fmt.Errorf("%w: key id %q is not 1-%d characters of [A-Za-z0-9._-]",
				ErrConfig, k.KID, maxKIDLength)
		}
		if _, dup := s.byKID[k.KID]; dup {
			return nil, fmt.Errorf("%w: duplicate key id %q", ErrConfig, k.KID)
		}
		s.byKID[k.KID] = k
		if !seen[k.Alg] {
			seen[k.Alg] = true
			s.algs = append(s.algs, k.Alg)
		}
	}
	if len(keys) == 1 {
		s.only = &keys[0]
	}
	return s, nil
}

func (s *staticKeys) lookup(_ context.Context, kid string, hasKID bool, alg string) (any, error) {
	var key VerificationKey
	switch {
	case hasKID:
		k, ok := s.byKID[kid]
		if !ok {
			return nil, fmt.Errorf("%w: no key with this kid", ReasonUnknownKey)
		}
		key = k
	case s.only != nil:
		key = *s.only
	default:
		return nil, fmt.Errorf("%w: kid required with several keys", ReasonUnknownKey)
	}
	if key.Alg != alg {
		return nil, fmt.Errorf("%w: key is for another algorithm", ReasonBadAlgorithm)
	}
	return key.Key, nil
}

func (s *staticKeys) algorithms() []string { return s.algs }

func (s *staticKeys) close() {}
