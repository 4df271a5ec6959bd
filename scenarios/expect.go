package scenarios

import (
	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/results"
)

// Expect returns what mix entry e must get on the namespace called ns: the
// entry's explicit expect when it names ns; a reject on a namespace that is
// not declared (deny by default); otherwise the rule of the credential
// minting code (creds.ExpectFor), the one runs are checked against.
func (s *Scenario) Expect(ns string, e MixEntry) results.Expect {
	if x, ok := e.Expect[ns]; ok {
		return x
	}
	n, ok := s.namespace(ns)
	if !ok {
		return results.ExpectReject
	}
	k, err := creds.Lookup(e.Kind)
	if err != nil {
		return results.ExpectReject
	}
	p := creds.Policy{Methods: n.Methods, Roles: n.Roles, Public: n.Public}
	return creds.ExpectFor(k, e.Roles, e.Place, p).Expect
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
