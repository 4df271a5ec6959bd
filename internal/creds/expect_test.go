package creds_test

import (
	"testing"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/verifiers"
)

func kind(t *testing.T, name string) creds.Kind {
	t.Helper()
	k, err := creds.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestExpectFor(t *testing.T) {
	jwtOnly := creds.Policy{Methods: []verifiers.Method{verifiers.MethodJWT}}
	admin := creds.Policy{Methods: []verifiers.Method{verifiers.MethodJWT, verifiers.MethodSession},
		Roles: []string{"admin"}}
	sessionQuery := creds.Policy{Methods: []verifiers.Method{verifiers.MethodSession}, AllowQuery: true}
	tests := []struct {
		name   string
		kind   string
		roles  []string
		src    verifiers.Source
		policy creds.Policy
		expect results.Expect
		reason verifiers.Reason
	}{
		{name: "valid jwt accepted", kind: "jwt-hs256", src: verifiers.SourceAuth, policy: jwtOnly,
			expect: results.ExpectAccept},
		{name: "A-01 missing rejected", kind: "missing", src: verifiers.SourceAuth, policy: jwtOnly,
			expect: results.ExpectReject, reason: verifiers.ReasonMissing},
		{name: "public namespace accepts missing", kind: "missing", policy: creds.Policy{Public: true},
			src: verifiers.SourceAuth, expect: results.ExpectAccept},
		{name: "public namespace accepts a bad token", kind: "jwt-expired", src: verifiers.SourceAuth,
			policy: creds.Policy{Public: true}, expect: results.ExpectAccept},
		{name: "C-01 expired", kind: "jwt-expired", src: verifiers.SourceHeader, policy: jwtOnly,
			expect: results.ExpectReject, reason: verifiers.ReasonExpired},
		{name: "C-16 role missing", kind: "jwt", roles: []string{"user"}, src: verifiers.SourceAuth,
			policy: admin, expect: results.ExpectReject, reason: verifiers.ReasonForbidden},
		{name: "role held", kind: "session", roles: []string{"user", "admin"}, src: verifiers.SourceCookie,
			policy: admin, expect: results.ExpectAccept},
		{name: "bad kind fails for its own reason before roles", kind: "jwt-bad-signature",
			src: verifiers.SourceAuth, policy: admin, expect: results.ExpectReject,
			reason: verifiers.ReasonBadSignature},
		{name: "method not accepted, in auth", kind: "apikey", src: verifiers.SourceAuth, policy: jwtOnly,
			expect: results.ExpectReject, reason: verifiers.ReasonForbidden},
		{name: "method not accepted, in header", kind: "apikey", src: verifiers.SourceHeader,
			policy: jwtOnly, expect: results.ExpectReject, reason: verifiers.ReasonMissing},
		{name: "D-07 query not allowed", kind: "jwt", src: verifiers.SourceQuery, policy: jwtOnly,
			expect: results.ExpectReject, reason: verifiers.ReasonMissing},
		{name: "G-05 query allowed", kind: "session", src: verifiers.SourceQuery, policy: sessionQuery,
			expect: results.ExpectAccept},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := creds.ExpectFor(kind(t, tt.kind), tt.roles, tt.src, tt.policy)
			if got.Expect != tt.expect || got.Reason != tt.reason {
				t.Errorf("got %+v, want %s %q", got, tt.expect, tt.reason)
			}
		})
	}
}

func TestCatalogueIsConsistent(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range creds.Catalogue() {
		if seen[k.Name] {
			t.Errorf("%s listed twice", k.Name)
		}
		seen[k.Name] = true
		if k.Valid == (k.Reason != "") {
			t.Errorf("%s: Valid %v with Reason %q", k.Name, k.Valid, k.Reason)
		}
		if !k.Valid && len(k.Cases) == 0 && k.Name != "apikey-expired" {
			t.Errorf("%s: a bad kind without a CASES.md row", k.Name)
		}
		if k.Summary == "" {
			t.Errorf("%s: no summary", k.Name)
		}
	}
	for _, name := range []string{
		"jwt-hs256", "jwt-hs384", "jwt-hs512", "jwt-rs256", "jwt-ps256", "jwt-es256", "jwt-eddsa",
		"apikey", "session", "missing", "jwt-expired", "jwt-bad-signature", "jwt-wrong-audience",
		"jwt-wrong-issuer", "jwt-alg-none", "jwt-no-exp", "jwt-not-yet-valid", "jwt-malformed",
		"jwt-oversize", "apikey-unknown", "apikey-revoked", "session-unknown", "session-expired",
	} {
		if !seen[name] {
			t.Errorf("the brief's kind %s is missing", name)
		}
	}
}
