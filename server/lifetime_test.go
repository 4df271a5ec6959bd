package server

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/verifiers"
)

// TestIdentity_Whoami: every accepted socket answers whoami with the subject,
// method and namespace its own credential proved, on both transports.
func TestIdentity_Whoami(t *testing.T) {
	s := start(t, Config{})
	cases := []struct {
		name, nsp, auth, subject, method string
	}{
		{name: "jwt on /", nsp: "/", auth: `{"token":"jwt-user"}`, subject: "alice", method: "jwt"},
		{name: "jwt on /admin", nsp: "/admin", auth: `{"token":"jwt-admin"}`, subject: "root", method: "jwt"},
		{name: "apikey on /api", nsp: "/api", auth: `{"apiKey":"key-good"}`, subject: "svc", method: "apikey"},
		{name: "session on /", nsp: "/", auth: `{"sessionId":"sess-admin"}`, subject: "root", method: "session"},
	}
	for _, tr := range transports {
		for _, tc := range cases {
			t.Run(string(tr)+"/"+tc.name, func(t *testing.T) {
				c := dial(t, s, tr, nil)
				ctx := testCtx(t)
				if a, err := c.Connect(ctx, tc.nsp, tc.auth); err != nil || !a.Accepted {
					t.Fatalf("connect: %+v %v", a, err)
				}
				raw, err := c.Emit(ctx, tc.nsp, 13, `["whoami"]`)
				if err != nil {
					t.Fatal(err)
				}
				var got []map[string]string
				if err := json.Unmarshal([]byte(raw), &got); err != nil || len(got) != 1 {
					t.Fatalf("whoami ack %q: %v", raw, err)
				}
				want := map[string]string{"sub": tc.subject, "method": tc.method, "nsp": tc.nsp}
				for k, v := range want {
					if got[0][k] != v {
						t.Errorf("whoami %s = %q, want %q", k, got[0][k], v)
					}
				}
				echoed, err := c.Emit(ctx, tc.nsp, 14, `["echo",1,"two"]`)
				if err != nil || echoed != `[1,"two"]` {
					t.Errorf("echo ack %q (%v), want [1,\"two\"]", echoed, err)
				}
			})
		}
	}
}

// expiringVerifier accepts "short" with an identity that expires at exp.
type expiringVerifier struct{ exp time.Time }

func (expiringVerifier) Method() verifiers.Method { return verifiers.MethodJWT }

func (e expiringVerifier) Verify(_ context.Context, c verifiers.Credential) (verifiers.Identity, error) {
	if c.Value != "short" {
		return verifiers.Identity{}, verifiers.ReasonBadSignature
	}
	return verifiers.Identity{Subject: "alice", Method: verifiers.MethodJWT, Expires: e.exp,
		CredentialID: "jti-short"}, nil
}

// TestLifetime_H01_ExpiryDisconnects: a socket is disconnected when its
// credential expires, and the client receives the namespace DISCONNECT.
func TestLifetime_H01_ExpiryDisconnects(t *testing.T) {
	for _, tr := range transports {
		t.Run(string(tr), func(t *testing.T) {
			clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
			v := expiringVerifier{exp: clock.Now().Add(5 * time.Second)}
			s := start(t, Config{
				Clock:     clock,
				Policy:    Policy{Namespaces: []NamespacePolicy{{Name: "/", Methods: []verifiers.Method{"jwt"}}}},
				Verifiers: map[verifiers.Method]verifiers.Verifier{verifiers.MethodJWT: v},
			})
			c := dial(t, s, tr, nil)
			ctx := testCtx(t)
			if a, err := c.Connect(ctx, "/", `{"token":"short"}`); err != nil || !a.Accepted {
				t.Fatalf("connect: %+v %v", a, err)
			}
			if _, err := c.Emit(ctx, "/", 1, `["whoami"]`); err != nil {
				t.Fatalf("whoami before expiry: %v", err)
			}
			clock.Advance(5 * time.Second)
			if err := c.WaitDisconnect(ctx, "/"); err != nil {
				t.Fatalf("no DISCONNECT after expiry: %v", err)
			}
		})
	}
}

// TestLifetime_H03_RevokeDisconnects: Revoke disconnects every socket of the
// credential on every namespace; other credentials stay connected.
func TestLifetime_H03_RevokeDisconnects(t *testing.T) {
	s := start(t, Config{})
	for _, tr := range transports {
		t.Run(string(tr), func(t *testing.T) {
			ctx := testCtx(t)
			victim := dial(t, s, tr, nil)
			other := dial(t, s, tr, nil)
			for _, nsp := range []string{"/", "/admin"} {
				if a, err := victim.Connect(ctx, nsp, `{"token":"jwt-admin"}`); err != nil || !a.Accepted {
					t.Fatalf("connect %s: %+v %v", nsp, a, err)
				}
			}
			if a, err := other.Connect(ctx, "/", `{"token":"jwt-user"}`); err != nil || !a.Accepted {
				t.Fatalf("connect other: %+v %v", a, err)
			}
			if n := s.Revoke("jti-admin"); n != 2 {
				t.Fatalf("Revoke disconnected %d sockets, want 2", n)
			}
			if err := victim.WaitDisconnect(ctx, "/", "/admin"); err != nil {
				t.Fatalf("no DISCONNECT on / and /admin: %v", err)
			}
			if _, err := other.Emit(ctx, "/", 2, `["whoami"]`); err != nil {
				t.Fatalf("other credential lost its socket: %v", err)
			}
		})
	}
}

// TestLifetime_H01_EventAfterExpiryRefused: an event that arrives after the
// credential expired is not processed, even before the expiry timer fires;
// the socket is disconnected instead.
func TestLifetime_H01_EventAfterExpiryRefused(t *testing.T) {
	for _, tr := range transports {
		t.Run(string(tr), func(t *testing.T) {
			clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
			v := expiringVerifier{exp: clock.Now().Add(5 * time.Second)}
			s := start(t, Config{
				Clock:     clock,
				Policy:    Policy{Namespaces: []NamespacePolicy{{Name: "/", Methods: []verifiers.Method{"jwt"}}}},
				Verifiers: map[verifiers.Method]verifiers.Verifier{verifiers.MethodJWT: v},
			})
			c := dial(t, s, tr, nil)
			ctx := testCtx(t)
			if a, err := c.Connect(ctx, "/", `{"token":"short"}`); err != nil || !a.Accepted {
				t.Fatalf("connect: %+v %v", a, err)
			}
			clock.Skew(6 * time.Second)
			if err := c.Send(ctx, `421["whoami"]`); err != nil {
				t.Fatal(err)
			}
			for {
				p, err := c.Next(ctx)
				if err != nil {
					t.Fatalf("no DISCONNECT: %v", err)
				}
				if p == "41" {
					break
				}
				if p[:2] == "43" {
					t.Fatalf("event after expiry was processed: %q", p)
				}
			}
		})
	}
}
