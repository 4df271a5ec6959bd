package creds

import (
	"slices"

	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/verifiers"
)

// Policy is what ExpectFor needs to know of a namespace's rule. It mirrors
// the reference server's NamespacePolicy (server/policy.go) without
// depending on the server.
type Policy struct {
	// Methods are the accepted methods.
	Methods []verifiers.Method
	// Roles are required, all of them, compared exactly.
	Roles []string
	// Public lets anyone in, whatever they present.
	Public bool
	// AllowQuery lets credentials travel in the handshake URL's query.
	AllowQuery bool
}

// Expectation is what a credential must get on one namespace: accept, or
// reject with Reason (empty when the reason cannot be told in advance).
type Expectation struct {
	Expect results.Expect
	Reason verifiers.Reason
}

func accept() Expectation { return Expectation{Expect: results.ExpectAccept} }

func reject(r verifiers.Reason) Expectation {
	return Expectation{Expect: results.ExpectReject, Reason: r}
}

// ExpectFor returns what a credential of kind k, for an identity holding
// roles, travelling in src, must get on a namespace with policy p. The rules
// are those of gatecrash's reference server (server/credentials.go):
//
//   - a public namespace lets everyone in;
//   - no credential is "missing";
//   - a credential in the query is ignored unless the policy allows the
//     query, and so is a header or cookie credential of a method the
//     namespace does not accept: both leave nothing, "missing";
//   - an auth-payload credential of a method the namespace does not accept
//     is "forbidden";
//   - a bad kind gets its Reason;
//   - a valid kind is accepted when roles hold every role the policy
//     requires, else "forbidden".
//
// It assumes the verifiers accept query credentials whenever the policy
// does (their own AllowQuery options set alike).
func ExpectFor(k Kind, roles []string, src verifiers.Source, p Policy) Expectation {
	switch {
	case p.Public:
		return accept()
	case k.Method == "":
		return reject(verifiers.ReasonMissing)
	case src == verifiers.SourceQuery && !p.AllowQuery:
		return reject(verifiers.ReasonMissing)
	case !slices.Contains(p.Methods, k.Method) && src == verifiers.SourceAuth:
		return reject(verifiers.ReasonForbidden)
	case !slices.Contains(p.Methods, k.Method):
		return reject(verifiers.ReasonMissing)
	case !k.Valid:
		return reject(k.Reason)
	}
	for _, r := range p.Roles {
		if !slices.Contains(roles, r) {
			return reject(verifiers.ReasonForbidden)
		}
	}
	return accept()
}
