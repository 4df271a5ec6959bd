package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/server/internal/rawio"
	"github.com/gatecrash/gatecrash/verifiers"
)

// fakeVerifier accepts the values it knows, rejects the others with the
// reason listed (bad_signature when none), and can hang.
type fakeVerifier struct {
	method  verifiers.Method
	ids     map[string]verifiers.Identity
	reasons map[string]verifiers.Reason
	hang    chan struct{} // when non-nil, Verify blocks on it, ignoring ctx
}

func (f *fakeVerifier) Method() verifiers.Method { return f.method }

func (f *fakeVerifier) Verify(_ context.Context, c verifiers.Credential) (verifiers.Identity, error) {
	if f.hang != nil {
		<-f.hang
	}
	if id, ok := f.ids[c.Value]; ok {
		id.Method = f.method
		return id, nil
	}
	if r, ok := f.reasons[c.Value]; ok {
		return verifiers.Identity{}, fmt.Errorf("fake: %w", r)
	}
	return verifiers.Identity{}, fmt.Errorf("fake: %w", verifiers.ReasonBadSignature)
}

// The fake credentials. Subjects: alice (user), root (admin), svc (machine).
func fakeVerifiers() map[verifiers.Method]verifiers.Verifier {
	return map[verifiers.Method]verifiers.Verifier{
		verifiers.MethodJWT: &fakeVerifier{
			method: verifiers.MethodJWT,
			ids: map[string]verifiers.Identity{
				"jwt-user":  {Subject: "alice", Roles: []string{"user"}, CredentialID: "jti-user"},
				"jwt-admin": {Subject: "root", Roles: []string{"admin"}, CredentialID: "jti-admin"},
			},
			reasons: map[string]verifiers.Reason{"jwt-expired": verifiers.ReasonExpired},
		},
		verifiers.MethodAPIKey: &fakeVerifier{
			method:  verifiers.MethodAPIKey,
			ids:     map[string]verifiers.Identity{"key-good": {Subject: "svc", CredentialID: "key-1"}},
			reasons: map[string]verifiers.Reason{"key-revoked": verifiers.ReasonRevoked},
		},
		verifiers.MethodSession: &fakeVerifier{
			method: verifiers.MethodSession,
			ids: map[string]verifiers.Identity{
				"sess-user":  {Subject: "alice", Roles: []string{"user"}, CredentialID: "s-user"},
				"sess-admin": {Subject: "root", Roles: []string{"admin"}, CredentialID: "s-admin"},
			},
			reasons: map[string]verifiers.Reason{"sess-unknown": verifiers.ReasonUnknown},
		},
	}
}

// start builds and starts a server on loopback; Close runs at cleanup.
func start(t *testing.T, cfg Config) *Server {
	t.Helper()
	if cfg.Verifiers == nil {
		cfg.Verifiers = fakeVerifiers()
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := s.Listen("127.0.0.1:0"); err != nil {
		t.Fatalf("Listen: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func dial(t *testing.T, s *Server, tr rawio.Transport, h http.Header) *rawio.Conn {
	t.Helper()
	c, err := rawio.Dial(testCtx(t), s.URL(), rawio.Options{Transport: tr, Header: h})
	if err != nil {
		t.Fatalf("dial %s: %v", tr, err)
	}
	t.Cleanup(c.Close)
	return c
}

var transports = []rawio.Transport{rawio.WebSocket, rawio.Polling}

// fakeClock is a manual Clock: timers fire on Advance.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at      time.Time
	f       func()
	stopped atomic.Bool
}

func (t *fakeTimer) Stop() bool { return t.stopped.CompareAndSwap(false, true) }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

// Advance moves time forward and runs the timers that are due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []*fakeTimer
	for _, t := range c.timers {
		if !t.at.After(c.now) && t.stopped.CompareAndSwap(false, true) {
			due = append(due, t)
		}
	}
	c.mu.Unlock()
	for _, t := range due {
		go t.f()
	}
}

func reasonFor(code string) verifiers.Reason { return verifiers.Reason(code) }

// Skew moves time forward without running timers: the state just after an
// expiry whose timer has not fired yet.
func (c *fakeClock) Skew(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func ioCopy(b *strings.Builder, resp *http.Response) (int64, error) { return io.Copy(b, resp.Body) }

// waitFor polls cond for up to 2 s: for state the server updates just after
// the client can observe the event.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 200 {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("condition not reached within 2 s")
}

// sessionCookie is the default session cookie's name.
const sessionCookie = DefaultSessionCookie
