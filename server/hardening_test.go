package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/server/internal/rawio"
	"github.com/gatecrash/gatecrash/verifiers"
)

// sidReplay is CASES.md G-06: client A joins /admin over polling; client B,
// with no credential and its own HTTP client (no cookies), POSTs an event to
// A's sid and polls A's sid. It returns B's POST error and what B read.
func sidReplay(t *testing.T, s *Server, nsp, auth string) (stolen string, postErr error) {
	t.Helper()
	ctx := testCtx(t)
	victim := dial(t, s, rawio.Polling, nil)
	if a, err := victim.Connect(ctx, nsp, auth); err != nil || !a.Accepted {
		t.Fatalf("victim connect: %+v %v", a, err)
	}
	attacker := &http.Client{Timeout: 3 * time.Second}
	postErr = rawio.Post(ctx, attacker, s.URL(), victim.SID(), `42`+prefixOf(nsp)+`7["whoami"]`)
	if postErr != nil {
		return "", postErr
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet,
		s.URL()+"/socket.io/?EIO=4&transport=polling&sid="+victim.SID(), nil)
	resp, err := attacker.Do(req)
	if err != nil {
		t.Fatalf("attacker poll: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	var b strings.Builder
	_, _ = ioCopy(&b, resp)
	return b.String(), nil
}

func prefixOf(nsp string) string {
	if nsp == "/" {
		return ""
	}
	return nsp + ","
}

// TestHardening_G06_SidIsNotABearerCredential: with the hardened profile,
// another client reusing a victim's Engine.IO sid over polling gets 403 and
// nothing of the victim's session; the victim keeps working.
func TestHardening_G06_SidIsNotABearerCredential(t *testing.T) {
	s := start(t, Config{})
	stolen, err := sidReplay(t, s, "/admin", `{"token":"jwt-admin"}`)
	var he *rawio.HTTPError
	if !errors.As(err, &he) || he.Status != http.StatusForbidden {
		t.Fatalf("attacker POST: err %v, want HTTP 403 (read %q)", err, stolen)
	}
}

// TestSeedGap_G06_SidReplayWorks shows the hole the hardened server closes:
// with the library's defaults (seed-gap), the attacker acts as the victim.
func TestSeedGap_G06_SidReplayWorks(t *testing.T) {
	s := start(t, Config{Profile: ProfileSeedGap})
	stolen, err := sidReplay(t, s, "/", `{"sessionId":"sess-admin"}`)
	if err != nil {
		t.Fatalf("attacker POST refused (%v); the seed-gap profile should reproduce G-06", err)
	}
	if !strings.Contains(stolen, `"sub":"root"`) {
		t.Errorf("attacker read %q, want the victim's whoami answer", stolen)
	}
}

// TestHardening_E08_CookieFromForeignOrigin: a cookie-authenticated
// handshake from a foreign Origin is refused with 403 on both transports;
// the server's own origin, an allowed origin, and a foreign origin without a
// session cookie pass.
func TestHardening_E08_CookieFromForeignOrigin(t *testing.T) {
	s := start(t, Config{AllowedOrigins: []string{"https://app.example"}})
	cases := []struct {
		name   string
		header http.Header
		status int // 0: the handshake succeeds
		// wsStatus, when set, replaces status on websocket: the engine refuses
		// websocket handshakes from unlisted foreign origins, cookie or not.
		wsStatus int
	}{
		{name: "foreign origin with cookie", status: http.StatusForbidden,
			header: http.Header{"Origin": {"https://evil.example"}, "Cookie": {sessionCookie + "=sess-admin"}}},
		{name: "own origin with cookie",
			header: http.Header{"Origin": {s.URL()}, "Cookie": {sessionCookie + "=sess-admin"}}},
		{name: "allowed origin with cookie",
			header: http.Header{"Origin": {"https://app.example"}, "Cookie": {sessionCookie + "=sess-admin"}}},
		{name: "foreign origin without cookie", wsStatus: http.StatusBadRequest,
			header: http.Header{"Origin": {"https://evil.example"}}},
	}
	for _, tr := range transports {
		for _, tc := range cases {
			t.Run(string(tr)+"/"+tc.name, func(t *testing.T) {
				status := tc.status
				if tr == rawio.WebSocket && tc.wsStatus != 0 {
					status = tc.wsStatus
				}
				c, err := rawio.Dial(testCtx(t), s.URL(), rawio.Options{Transport: tr, Header: tc.header})
				var he *rawio.HTTPError
				switch {
				case status == 0 && err != nil:
					t.Fatalf("handshake refused: %v", err)
				case status != 0 && (!errors.As(err, &he) || he.Status != status):
					t.Fatalf("err %v, want HTTP %d", err, status)
				}
				if c != nil {
					c.Close()
				}
			})
		}
	}
}

// TestHardening_A16_J04_HangingVerifier: a verifier that never returns still
// yields a CONNECT_ERROR "unavailable" within the decision budget.
func TestHardening_A16_J04_HangingVerifier(t *testing.T) {
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })
	s := start(t, Config{
		Policy: Policy{Namespaces: []NamespacePolicy{{Name: "/", Methods: []verifiers.Method{"jwt"}}}},
		Verifiers: map[verifiers.Method]verifiers.Verifier{
			verifiers.MethodJWT: &fakeVerifier{method: verifiers.MethodJWT, hang: hang},
		},
		Limits: Limits{DecisionTimeout: 100 * time.Millisecond},
	})
	for _, tr := range transports {
		t.Run(string(tr), func(t *testing.T) {
			checkAnswer(t, dial(t, s, tr, nil), "/", `{"token":"jwt-admin"}`, "unavailable")
		})
	}
}

// TestHardening_A13_OversizeCredential: a credential longer than the cap is
// rejected as too_large before any verifier runs.
func TestHardening_A13_OversizeCredential(t *testing.T) {
	s := start(t, Config{Limits: Limits{MaxCredentialBytes: 64}})
	long := strings.Repeat("a", 65)
	for _, tr := range transports {
		t.Run(string(tr), func(t *testing.T) {
			checkAnswer(t, dial(t, s, tr, nil), "/api", `{"token":"`+long+`"}`, "too_large")
		})
	}
}

// TestHardening_A14_OversizeFrameCloses: a frame above MaxMessageBytes
// closes the session (no CONNECT_ERROR).
func TestHardening_A14_OversizeFrameCloses(t *testing.T) {
	s := start(t, Config{Limits: Limits{MaxMessageBytes: 1024}})
	for _, tr := range transports {
		t.Run(string(tr), func(t *testing.T) {
			_, err := dial(t, s, tr, nil).Connect(testCtx(t), "/api", `{"token":"`+strings.Repeat("a", 2048)+`"}`)
			if err == nil {
				t.Fatal("oversize frame answered; want the session closed")
			}
		})
	}
}

// TestHardening_J03_PendingSessionBound: Engine.IO sessions that joined no
// namespace are bounded; the next handshake gets 503 until one joins.
func TestHardening_J03_PendingSessionBound(t *testing.T) {
	s := start(t, Config{Limits: Limits{MaxPendingSessions: 1}})
	first := dial(t, s, rawio.WebSocket, nil)
	// The engine counts a session just after writing its open packet.
	waitFor(t, func() bool { return s.sessions.count() == 1 })
	_, err := rawio.Dial(testCtx(t), s.URL(), rawio.Options{Transport: rawio.Polling})
	var he *rawio.HTTPError
	if !errors.As(err, &he) || he.Status != http.StatusServiceUnavailable {
		t.Fatalf("second pending handshake: err %v, want HTTP 503", err)
	}
	checkAnswer(t, first, "/", `{"token":"jwt-user"}`, "ok")
	second := dial(t, s, rawio.Polling, nil)
	checkAnswer(t, second, "/", `{"token":"jwt-user"}`, "ok")
}

// TestHardening_J03_ConnectTimeout: a session that never sends CONNECT is
// closed at ConnectTimeout.
func TestHardening_J03_ConnectTimeout(t *testing.T) {
	s := start(t, Config{Limits: Limits{ConnectTimeout: 200 * time.Millisecond}})
	c := dial(t, s, rawio.WebSocket, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		if _, err := c.Next(ctx); err != nil {
			if !errors.Is(err, rawio.ErrClosed) {
				t.Fatalf("err %v, want the session closed by the server", err)
			}
			return
		}
	}
}
