package server

import (
	"errors"
	"testing"

	"github.com/gatecrash/gatecrash/server/internal/rawio"
	"github.com/gatecrash/gatecrash/verifiers"
)

// TestNamespaces_F02_CreatedAfterStart: a namespace added at run time is
// guarded like the others, and one created with Of but no rule admits
// nobody, not even a good credential.
func TestNamespaces_F02_CreatedAfterStart(t *testing.T) {
	s := start(t, Config{})
	if err := s.AddNamespace(NamespacePolicy{Name: "/late", Methods: []verifiers.Method{"jwt"}}); err != nil {
		t.Fatal(err)
	}
	s.Of("/ghost")
	cases := []struct {
		name, nsp, auth, want string
	}{
		{name: "late no credential", nsp: "/late", want: "missing"},
		{name: "late bad", nsp: "/late", auth: `{"token":"jwt-bad"}`, want: "bad_signature"},
		{name: "late good", nsp: "/late", auth: `{"token":"jwt-user"}`, want: "ok"},
		{name: "ghost no credential", nsp: "/ghost", want: "forbidden"},
		{name: "ghost good", nsp: "/ghost", auth: `{"token":"jwt-admin"}`, want: "forbidden"},
	}
	for _, tr := range transports {
		for _, tc := range cases {
			t.Run(string(tr)+"/"+tc.name, func(t *testing.T) {
				checkAnswer(t, dial(t, s, tr, nil), tc.nsp, tc.auth, tc.want)
			})
		}
	}
}

// TestNamespaces_F03_DynamicChildren: children of a pattern namespace are
// guarded whether they are created by their first CONNECT or already exist.
func TestNamespaces_F03_DynamicChildren(t *testing.T) {
	s := start(t, Config{Policy: Policy{Namespaces: []NamespacePolicy{
		{Name: "/", Methods: []verifiers.Method{"jwt"}},
		{Pattern: `^/tenant-\d+$`, Methods: []verifiers.Method{"jwt"}, Roles: []string{"admin"}},
	}}})
	cases := []struct {
		name, nsp, auth, want string
	}{
		{name: "new child no credential", nsp: "/tenant-1", want: "missing"},
		{name: "existing child no credential", nsp: "/tenant-1", want: "missing"},
		{name: "child wrong role", nsp: "/tenant-2", auth: `{"token":"jwt-user"}`, want: "forbidden"},
		{name: "child good", nsp: "/tenant-2", auth: `{"token":"jwt-admin"}`, want: "ok"},
		{name: "child good again", nsp: "/tenant-2", auth: `{"token":"jwt-admin"}`, want: "ok"},
		{name: "child bad", nsp: "/tenant-3", auth: `{"token":"jwt-bad"}`, want: "bad_signature"},
	}
	for _, tr := range transports {
		for _, tc := range cases {
			t.Run(string(tr)+"/"+tc.name, func(t *testing.T) {
				checkAnswer(t, dial(t, s, tr, nil), tc.nsp, tc.auth, tc.want)
			})
		}
	}
}

// TestNamespaces_F09_Unknown: a namespace outside the policy does not exist.
func TestNamespaces_F09_Unknown(t *testing.T) {
	s := start(t, Config{})
	for _, tr := range transports {
		t.Run(string(tr), func(t *testing.T) {
			a, err := dial(t, s, tr, nil).Connect(testCtx(t), "/nope", `{"token":"jwt-admin"}`)
			if err != nil {
				t.Fatal(err)
			}
			if a.Accepted || a.Message != "Invalid namespace" {
				t.Errorf("answer %q, want Invalid namespace", a.Raw)
			}
		})
	}
}

// TestNamespaces_F04_F05_Multiplexing: a user credential accepted on / is
// refused on /admin, a CONNECT without auth to /admin is refused, and the /
// socket stays usable.
func TestNamespaces_F04_F05_Multiplexing(t *testing.T) {
	s := start(t, Config{})
	cases := []struct{ name, adminAuth, want string }{
		{name: "F-04 user token reused", adminAuth: `{"token":"jwt-user"}`, want: "forbidden"},
		{name: "F-05 no auth on second namespace", adminAuth: "", want: "missing"},
	}
	for _, tr := range transports {
		for _, tc := range cases {
			t.Run(string(tr)+"/"+tc.name, func(t *testing.T) {
				c := dial(t, s, tr, nil)
				checkAnswer(t, c, "/", `{"token":"jwt-user"}`, "ok")
				checkAnswer(t, c, "/admin", tc.adminAuth, tc.want)
				if _, err := c.Emit(testCtx(t), "/", 3, `["whoami"]`); err != nil {
					t.Errorf("/ lost after the /admin refusal: %v", err)
				}
			})
		}
	}
}

// TestNamespaces_A06_A07_BadPayloadCloses: a CONNECT whose auth is a JSON
// string or array closes the transport (protocol violation, V2).
func TestNamespaces_A06_A07_BadPayloadCloses(t *testing.T) {
	s := start(t, Config{})
	for _, tr := range transports {
		for _, payload := range []string{`"jwt-admin"`, `["jwt-admin"]`} {
			t.Run(string(tr)+"/"+payload, func(t *testing.T) {
				c := dial(t, s, tr, nil)
				_, err := c.Connect(testCtx(t), "/admin", payload)
				if !errors.Is(err, rawio.ErrClosed) {
					t.Errorf("err = %v, want the session closed", err)
				}
			})
		}
	}
}
