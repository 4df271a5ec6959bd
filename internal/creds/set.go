package creds

import "github.com/gatecrash/gatecrash/verifiers"

// Credential is one minted credential, ready to present.
type Credential struct {
	// Kind is the kind's name: the row of the rejection matrix.
	Kind string
	// Method is the method the credential is for ("" for missing).
	Method verifiers.Method
	// Source is where it travels.
	Source verifiers.Source
	// Subject is the identity it was minted for: user-000001…, or the
	// subject of an external record.
	Subject string
	// Value is the raw credential ("" for missing).
	Value string

	entry *entry
	wire  wire
}

// Roles returns the roles the credential was minted with. The slice is
// shared: do not modify it.
func (c *Credential) Roles() []string { return c.entry.spec.Roles }

// KindInfo returns the catalogue entry of the credential's kind.
func (c *Credential) KindInfo() Kind { return c.entry.kind }

// Expect returns what the credential must get on a namespace with policy p.
func (c *Credential) Expect(p Policy) Expectation {
	return ExpectFor(c.entry.kind, c.entry.spec.Roles, c.Source, p)
}

// Set is the credentials of a run, one per handshake, minted before the run
// starts. Handshakes that reuse an identity share one Credential. A Set is
// read-only and safe for concurrent use.
type Set struct {
	distinct []Credential
	order    []int32
}

// Len returns the number of handshakes the set was minted for.
func (s *Set) Len() int { return len(s.order) }

// At returns the credential of handshake i. Past Len it wraps around, so a
// run longer than planned reuses the set from the start (and a ReuseUnique
// plan stops being unique: plan Handshakes for the whole run).
func (s *Set) At(i int) *Credential {
	return &s.distinct[s.order[i%len(s.order)]]
}

// Distinct returns the number of distinct credentials in the set.
func (s *Set) Distinct() int { return len(s.distinct) }
