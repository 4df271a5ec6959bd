package verifiers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

type sessionFix struct {
	t     *testing.T
	clock *fakeClock
	store SessionStore
	sess  Session
}

func newSessionFix(t *testing.T) *sessionFix { return newSessionFixOn(t, memoryBackend) }

// newSessionFixOn makes the fixture over b's session store.
func newSessionFixOn(t *testing.T, b backend) *sessionFix {
	f := &sessionFix{t: t, clock: newFakeClock()}
	f.store = b.sessions(t, f.clock.Now)
	var err error
	f.sess, err = f.store.Create(context.Background(), "bob", []string{"user"}, 10*time.Minute, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *sessionFix) verifier() *SessionVerifier {
	v, err := NewSessionVerifier(f.store, SessionOptions{Clock: f.clock.Now})
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

func TestSessionDecisions(t *testing.T) {
	tests := []struct {
		kind   string
		id     string
		value  func(f *sessionFix) string
		source Source
		want   Reason
	}{
		{kind: "good_session", id: "OK", value: func(f *sessionFix) string { return f.sess.ID }},
		{kind: "missing", id: "A-01", value: func(*sessionFix) string { return "" }, want: ReasonMissing},
		{kind: "whitespace_only", id: "A-03", value: func(*sessionFix) string { return " " }, want: ReasonMalformed},
		{kind: "oversize", id: "A-13", value: func(*sessionFix) string { return strings.Repeat("a", 900<<10) },
			want: ReasonTooLarge},
		{kind: "control_chars", id: "A-15", value: func(f *sessionFix) string { return f.sess.ID[:42] + "\n" },
			want: ReasonMalformed},
		{kind: "unknown_session", id: "E-01", value: func(*sessionFix) string { return randomToken(sessionIDBytes) },
			want: ReasonUnknown},
		{kind: "idle_expired", id: "E-02", value: func(f *sessionFix) string {
			f.clock.Advance(10 * time.Minute)
			return f.sess.ID
		}, want: ReasonExpired},
		{kind: "absolute_expired_despite_activity", id: "E-02", value: func(f *sessionFix) string {
			v := f.verifier()
			for i := 0; i < 8; i++ { // active every 9 minutes: idle never ends, absolute does
				f.clock.Advance(9 * time.Minute)
				_, _ = v.Verify(context.Background(), Credential{Value: f.sess.ID})
			}
			return f.sess.ID
		}, want: ReasonExpired},
		{kind: "tampered_one_char", id: "E-03", value: func(f *sessionFix) string { return flipMiddle(f.sess.ID) },
			want: ReasonUnknown},
		{kind: "noncanonical_last_char", id: "E-03", value: func(f *sessionFix) string {
			return flipTrailingBits(f.sess.ID)
		}, want: ReasonMalformed},
		{kind: "destroyed_session", id: "E-07", value: func(f *sessionFix) string {
			_ = f.store.Destroy(context.Background(), f.sess.ID)
			return f.sess.ID
		}, want: ReasonUnknown},
		{kind: "session_in_query_refused", id: "G-05", value: func(f *sessionFix) string { return f.sess.ID },
			source: SourceQuery, want: ReasonForbidden},
	}
	forEachBackend(t, func(t *testing.T, b backend) {
		for _, tc := range tests {
			for _, m := range modes {
				t.Run(tc.id+"_"+tc.kind+"/"+m.name, func(t *testing.T) {
					f := newSessionFixOn(t, b)
					v := m.wrap(t, f.verifier(), f.clock.Now)
					src := tc.source
					if src == "" {
						src = SourceCookie
					}
					cred := Credential{Method: MethodSession, Source: src, Value: tc.value(f)}
					expectDecision(t, v, cred, tc.want)
				})
			}
		}
	})
}

// TestSessionIdleSlidesWithUse: verification touches the record, in every
// mode, so a session in use does not idle out, cached or not.
func TestSessionIdleSlidesWithUse(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		for _, m := range modes {
			t.Run(m.name, func(t *testing.T) {
				f := newSessionFixOn(t, b)
				v := m.wrap(t, f.verifier(), f.clock.Now)
				cred := Credential{Method: MethodSession, Source: SourceCookie, Value: f.sess.ID}
				for i := 0; i < 5; i++ {
					f.clock.Advance(9 * time.Minute)
					expectDecision(t, v, cred, "")
				}
				f.clock.Advance(10 * time.Minute)
				expectDecision(t, v, cred, ReasonExpired)
			})
		}
	})
}

func TestLoginRotatesAndSetsCookie(t *testing.T) {
	f := newSessionFix(t)
	ctx := context.Background()
	// E-04: an id planted before login (here: a live one) must not survive.
	req := httptest.NewRequest(http.MethodPost, "/login", nil)
	req.AddCookie(&http.Cookie{Name: SessionCookieName, Value: f.sess.ID})
	rec := httptest.NewRecorder()
	sess, err := Login(ctx, rec, req, f.store, "carol", []string{"admin"}, LoginOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sess.ID == f.sess.ID {
		t.Fatal("login kept the pre-login id")
	}
	if _, err := f.store.Get(ctx, f.sess.ID); err == nil {
		t.Fatal("pre-login session still exists")
	}
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("cookies = %d", len(cookies))
	}
	c := cookies[0]
	if c.Name != SessionCookieName || c.Value != sess.ID || !c.HttpOnly || !c.Secure ||
		c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" ||
		c.MaxAge != int(DefaultSessionAbsolute/time.Second) {
		t.Fatalf("cookie = %+v", c)
	}
	id, err := f.verifier().Verify(ctx, Credential{Value: sess.ID})
	if err != nil || id.Subject != "carol" || !id.HasRole("admin") {
		t.Fatalf("verify new session: %+v, %v", id, err)
	}
	if _, err := Login(ctx, httptest.NewRecorder(), req, f.store, "carol", nil,
		LoginOptions{SameSite: http.SameSiteNoneMode}); err == nil {
		t.Fatal("SameSite=None accepted")
	}
}

func TestLogoutDestroys(t *testing.T) {
	f := newSessionFix(t)
	req := httptest.NewRequest(http.MethodPost, "/logout", nil)
	req.AddCookie(&http.Cookie{Name: SessionCookieName, Value: f.sess.ID})
	rec := httptest.NewRecorder()
	if err := Logout(context.Background(), rec, req, f.store); err != nil {
		t.Fatal(err)
	}
	_, err := f.verifier().Verify(context.Background(), Credential{Value: f.sess.ID})
	if ReasonOf(err) != ReasonUnknown {
		t.Fatalf("after logout: %v", err)
	}
	if c := rec.Result().Cookies(); len(c) != 1 || c[0].MaxAge >= 0 {
		t.Fatalf("logout cookie = %+v", c)
	}
}

func TestSessionSweepBoundsMemory(t *testing.T) {
	f := newSessionFix(t)
	f.clock.Advance(2 * time.Hour)
	store := f.store.(*MemorySessionStore)
	if n := store.Sweep(); n != 1 || store.Len() != 0 {
		t.Fatalf("swept %d, left %d", n, store.Len())
	}
}
