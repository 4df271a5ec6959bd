package server

import (
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/gatecrash/gatecrash/server/internal/rawio"
	"github.com/gatecrash/gatecrash/verifiers"
)

// TestProtocol_Violations: frames that break the protocol close the whole
// session (CLOSE), never accept.
func TestProtocol_Violations(t *testing.T) {
	s := start(t, Config{})
	cases := []struct {
		name   string
		join   string   // when set, auth of an accepted CONNECT to /admin first
		frames []string // then sent in order
	}{
		{name: "A-09 number payload", frames: []string{`40/admin,5`}},
		{name: "A-09 bare word payload", frames: []string{`40/admin,good`}},
		{name: "F-06 duplicate CONNECT", join: `{"token":"jwt-admin"}`, frames: []string{`40/admin,{"token":"jwt-bad"}`}},
		{name: "F-08 event before CONNECT", frames: []string{`42/admin,["whoami"]`}},
	}
	for _, tr := range transports {
		for _, tc := range cases {
			t.Run(string(tr)+"/"+tc.name, func(t *testing.T) {
				c := dial(t, s, tr, nil)
				ctx := testCtx(t)
				if tc.join != "" {
					checkAnswer(t, c, "/admin", tc.join, "ok")
				}
				for _, f := range tc.frames {
					if err := c.Send(ctx, f); err != nil {
						return // closed while sending: the expected outcome
					}
				}
				for {
					p, err := c.Next(ctx)
					if errors.Is(err, rawio.ErrClosed) {
						return
					}
					if err != nil {
						t.Fatalf("want the session closed, got %v", err)
					}
					if len(p) > 1 && p[:2] == "42" {
						t.Fatalf("event processed: %q", p)
					}
				}
			})
		}
	}
}

// TestProtocol_F07_PipelinedConnects: two CONNECTs to one namespace sent
// back to back each get their own answer, and a bad one never turns into an
// acceptance.
func TestProtocol_F07_PipelinedConnects(t *testing.T) {
	s := start(t, Config{})
	for _, tr := range transports {
		t.Run(string(tr), func(t *testing.T) {
			c := dial(t, s, tr, nil)
			ctx := testCtx(t)
			_ = c.Send(ctx, `40/admin,{"token":"jwt-bad"}`)
			_ = c.Send(ctx, `40/admin,{"token":"jwt-bad"}`)
			for range 2 {
				a, err := c.Answer(ctx, "/admin")
				if err != nil {
					return // the library may close on the second CONNECT (V5, V6)
				}
				if a.Accepted || a.Code != "bad_signature" {
					t.Fatalf("answer %q, want bad_signature", a.Raw)
				}
			}
		})
	}
}

// TestProtocol_F12_EIO3Refused: Engine.IO v3 handshakes get HTTP 400.
func TestProtocol_F12_EIO3Refused(t *testing.T) {
	s := start(t, Config{})
	resp, err := http.Get(s.URL() + "/socket.io/?EIO=3&transport=polling")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("EIO=3: HTTP %d, want 400", resp.StatusCode)
	}
}

// TestProtocol_G01_HeaderOnLaterRequestIgnored: a credential sent only on a
// later polling request is not seen; the CONNECT it carries is refused.
func TestProtocol_G01_HeaderOnLaterRequestIgnored(t *testing.T) {
	s := start(t, Config{})
	c := dial(t, s, rawio.Polling, nil)
	ctx := testCtx(t)
	h := http.Header{"Authorization": {"Bearer jwt-admin"}}
	if err := rawio.PostWithHeader(ctx, c.Client(), s.URL(), c.SID(), `40/admin,`, h); err != nil {
		t.Fatal(err)
	}
	a, err := c.Answer(ctx, "/admin")
	if err != nil || a.Accepted || a.Code != "missing" {
		t.Fatalf("answer %+v (%v), want missing", a, err)
	}
}

// TestProtocol_G05_QueryWhenAllowed: a namespace whose policy allows query
// credentials accepts one; the default namespaces ignore it (matrix G-05).
func TestProtocol_G05_QueryWhenAllowed(t *testing.T) {
	s := start(t, Config{Policy: Policy{Namespaces: []NamespacePolicy{
		{Name: "/", Methods: []verifiers.Method{"jwt"}},
		{Name: "/q", Methods: []verifiers.Method{"jwt"}, AllowQuery: true},
	}}})
	for _, tr := range transports {
		t.Run(string(tr), func(t *testing.T) {
			c, err := rawio.Dial(testCtx(t), s.URL(), rawio.Options{Transport: tr,
				Query: url.Values{"token": {"jwt-user"}}})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			checkAnswer(t, c, "/q", "", "ok")
			checkAnswer(t, c, "/", "", "missing")
		})
	}
}
