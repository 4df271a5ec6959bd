package server

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/gatecrash/gatecrash/verifiers"
)

// MethodNone is the method recorded for a connection to a public namespace,
// which presents no credential.
const MethodNone verifiers.Method = "none"

// decision is the outcome of one CONNECT's authentication.
type decision struct {
	id      verifiers.Identity
	primary verifiers.Credential // the credential the decision rests on
	reason  verifiers.Reason     // "" when accepted
	took    time.Duration        // time spent in verifiers
	cache   CacheState           // of the primary credential's verification
}

func (d decision) accepted() bool { return d.reason == "" }

// quickDecision decides what needs no verifier: no rule (deny), a public
// namespace, no credential, a credential refused on sight. done is false
// when verifiers must run.
func quickDecision(rule *nsRule, creds []presented) (d decision, done bool) {
	switch {
	case rule == nil:
		return decision{reason: verifiers.ReasonForbidden}, true
	case rule.public:
		return decision{id: verifiers.Identity{Method: MethodNone}}, true
	case len(creds) == 0:
		return decision{reason: verifiers.ReasonMissing}, true
	}
	for _, p := range creds {
		if p.bad != "" {
			return decision{primary: p.cred, reason: p.bad}, true
		}
	}
	return decision{}, false
}

// verifyAll verifies every presented credential and authorizes the result.
// It fails closed: any invalid credential rejects, and valid credentials
// naming different subjects reject as "conflict".
func (s *Server) verifyAll(ctx context.Context, rule *nsRule, nsp string, creds []presented) decision {
	start := time.Now()
	var first verifiers.Identity
	var state CacheState
	for i, p := range creds {
		id, cs, err := s.verify(ctx, p.cred)
		if i == 0 {
			first, state = id, cs
		}
		if err != nil {
			return decision{primary: p.cred, reason: reasonOf(ctx, err), took: time.Since(start), cache: cs}
		}
		if id.Subject != first.Subject {
			return decision{primary: p.cred, reason: verifiers.ReasonConflict, took: time.Since(start), cache: state}
		}
	}
	d := decision{id: first, primary: creds[0].cred, took: time.Since(start), cache: state}
	d.reason = s.authorize(rule, nsp, first)
	return d
}

// verify runs the verifier of cred's method.
func (s *Server) verify(ctx context.Context, cred verifiers.Credential) (verifiers.Identity, CacheState, error) {
	v := s.cfg.Verifiers[cred.Method]
	if v == nil {
		// Unreachable: New and AddNamespace refuse a method without a
		// verifier. Fail closed anyway.
		return verifiers.Identity{}, CacheUncached, verifiers.ReasonInternal
	}
	id, cs, err := probedVerify(ctx, v, cred, s.instrumented[cred.Method])
	if err == nil && id.Subject == "" {
		return id, cs, verifiers.ReasonMissingClaim
	}
	return id, cs, err
}

// authorize checks an authenticated identity against the namespace rule.
func (s *Server) authorize(rule *nsRule, nsp string, id verifiers.Identity) verifiers.Reason {
	if !id.Expires.IsZero() && !s.cfg.Clock.Now().Before(id.Expires) {
		return verifiers.ReasonExpired
	}
	if id.Namespaces != nil && !slices.Contains(id.Namespaces, nsp) {
		return verifiers.ReasonForbidden
	}
	for _, role := range rule.roles {
		if !id.HasRole(role) {
			return verifiers.ReasonForbidden
		}
	}
	return ""
}

// reasonOf maps a verifier error to a reason; a verifier that gave up on a
// deadline without saying why is "unavailable".
func reasonOf(ctx context.Context, err error) verifiers.Reason {
	r := verifiers.ReasonOf(err)
	if r == verifiers.ReasonInternal &&
		(errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil) {
		return verifiers.ReasonUnavailable
	}
	return r
}

// rejectMessage is the generic CONNECT_ERROR message of a reason: the
// precise reason travels only as data.code.
func rejectMessage(r verifiers.Reason) string {
	if r == verifiers.ReasonForbidden {
		return "forbidden"
	}
	return "unauthorized"
}
