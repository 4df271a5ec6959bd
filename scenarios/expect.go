package scenarios

import (
	"slices"

	"github.com/gatecrash/gatecrash/results"
)

// Expect returns what mix entry e must get on the namespace called ns: the
// entry's explicit expect when it names ns; otherwise accept on a public
// namespace (it ignores credentials, bad ones included), accept for a valid
// kind whose method the namespace takes and whose roles cover the
// namespace's, and reject for everything else, including a namespace that
// is not declared (deny by default).
func (s *Scenario) Expect(ns string, e MixEntry) results.Expect {
	if x, ok := e.Expect[ns]; ok {
		return x
	}
	n, ok := s.namespace(ns)
	if !ok {
		return results.ExpectReject
	}
	if n.Public {
		return results.ExpectAccept
	}
	info, ok := LookupKind(e.Kind)
	if !ok || !info.Valid || !slices.Contains(n.Methods, info.Method) {
		return results.ExpectReject
	}
	for _, r := range n.Roles {
		if !slices.Contains(e.Roles, r) {
			return results.ExpectReject
		}
	}
	return results.ExpectAccept
}

// Expectation is one cell of the expected matrix.
type Expectation struct {
	Namespace string
	// Label is the mix entry's label, the matrix row (Sample.Kind).
	Label  string
	Kind   string
	Expect results.Expect
}

// Expectations returns the expected matrix: every namespace × mix entry, in
// declaration order.
func (s *Scenario) Expectations() []Expectation {
	out := make([]Expectation, 0, len(s.Namespaces)*len(s.Credentials.Mix))
	for _, n := range s.Namespaces {
		for _, e := range s.Credentials.Mix {
			out = append(out, Expectation{Namespace: n.Name, Label: e.Label, Kind: e.Kind, Expect: s.Expect(n.Name, e)})
		}
	}
	return out
}
