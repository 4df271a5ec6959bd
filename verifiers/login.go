package verifiers

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// SessionCookieName is the session cookie. The __Host- prefix makes browsers
// accept it only with Secure, Path=/ and no Domain, so a sibling subdomain
// cannot plant one (session fixation across subdomains).
const SessionCookieName = "__Host-gc_session"

// Default session lifetimes used by Login when LoginOptions leaves them zero.
const (
	DefaultSessionIdle     = 30 * time.Minute
	DefaultSessionAbsolute = 12 * time.Hour
)

// LoginOptions configures Login.
type LoginOptions struct {
	// Idle and Absolute are the session's idle timeout and absolute lifetime.
	Idle, Absolute time.Duration
	// SameSite is Lax or Strict; zero means Lax. None is refused: a session
	// cookie sent on cross-site requests invites CSWSH (CASES E-08).
	SameSite http.SameSite
}

// Login authenticates nothing itself: call it after the caller has checked
// the user's credentials. It destroys the session named by the request's
// cookie, if any, creates a new record with a new id (so a pre-login id never
// becomes an authenticated one, CASES E-04) and sets the cookie HttpOnly,
// Secure, SameSite, Path=/, with Max-Age equal to the absolute lifetime.
func Login(ctx context.Context, w http.ResponseWriter, r *http.Request, store SessionStore,
	subject string, roles []string, opts LoginOptions) (Session, error) {
	if opts.Idle == 0 {
		opts.Idle = DefaultSessionIdle
	}
	if opts.Absolute == 0 {
		opts.Absolute = DefaultSessionAbsolute
	}
	switch {
	case subject == "" || opts.Idle < 0 || opts.Absolute < 0:
		return Session{}, fmt.Errorf("%w: login needs a subject and non-negative lifetimes", ErrConfig)
	case opts.SameSite == 0 || opts.SameSite == http.SameSiteDefaultMode:
		opts.SameSite = http.SameSiteLaxMode
	case opts.SameSite == http.SameSiteNoneMode:
		return Session{}, fmt.Errorf("%w: SameSite=None is refused for session cookies", ErrConfig)
	}

	if old, err := r.Cookie(SessionCookieName); err == nil {
		if err := store.Destroy(ctx, old.Value); err != nil {
			return Session{}, fmt.Errorf("verifiers: rotate session: %w", err)
		}
	}
	sess, err := store.Create(ctx, subject, roles, opts.Idle, opts.Absolute)
	if err != nil {
		return Session{}, fmt.Errorf("verifiers: create session: %w", err)
	}
	http.SetCookie(w, &http.Cookie{
		Name:     SessionCookieName,
		Value:    sess.ID,
		Path:     "/",
		MaxAge:   int(opts.Absolute / time.Second),
		HttpOnly: true,
		Secure:   true,
		SameSite: opts.SameSite,
	})
	return sess, nil
}

// Logout destroys the session named by the request's cookie and tells the
// browser to drop the cookie.
func Logout(ctx context.Context, w http.ResponseWriter, r *http.Request, store SessionStore) error {
	if c, err := r.Cookie(SessionCookieName); err == nil {
		if err := store.Destroy(ctx, c.Value); err != nil {
			return fmt.Errorf("verifiers: destroy session: %w", err)
		}
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode,
	})
	return nil
}
