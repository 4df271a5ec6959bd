package verifiers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// SessionOptions configures a SessionVerifier.
type SessionOptions struct {
	// AllowQuery accepts session ids from the query string; off by default.
	AllowQuery bool
	// Clock returns the current time; nil means the system clock, read
	// through the monotonic clock (see monotonicClock). Use the store's
	// clock, so both agree on expiry.
	Clock func() time.Time
}

// SessionVerifier verifies session ids against a SessionStore. Each accepted
// verification touches the record, sliding its idle timeout.
type SessionVerifier struct {
	store SessionStore
	live  liveToucher // store, when it can answer a recheck without the record
	opts  SessionOptions
	mono  *monotonicClock // the clock when opts.Clock was nil
}

// NewSessionVerifier returns a verifier of store's sessions.
func NewSessionVerifier(store SessionStore, opts SessionOptions) (*SessionVerifier, error) {
	if store == nil {
		return nil, fmt.Errorf("%w: session verifier needs a store", ErrConfig)
	}
	v := &SessionVerifier{store: store, opts: opts}
	v.live, _ = store.(liveToucher)
	if opts.Clock == nil {
		v.mono = newMonotonicClock()
		v.opts.Clock = v.mono.Now
	}
	return v, nil
}

// Method returns MethodSession.
func (v *SessionVerifier) Method() Method { return MethodSession }

// Verify looks the session id up; the record's absolute expiry and idle
// timeout decide. The identity's Expires is the absolute expiry.
func (v *SessionVerifier) Verify(ctx context.Context, cred Credential) (Identity, error) {
	rec, err := v.check(ctx, cred)
	if err != nil {
		return Identity{}, err
	}
	return Identity{
		Subject:      rec.Subject,
		Roles:        slices.Clone(rec.Roles),
		Method:       MethodSession,
		Expires:      rec.Expires,
		CredentialID: Fingerprint(rec.ID),
	}, nil
}

// Recheck confirms a cached acceptance: the record must still exist and be
// live, and it is touched exactly as Verify would. cred must be one Verify
// accepted (a cache calls it only for an exact match of such a credential):
// the id's shape, a pure function of cred already checked then, is not
// scanned again. A malformed id given anyway is still rejected, as unknown:
// no store holds one.
func (v *SessionVerifier) Recheck(ctx context.Context, cred Credential, _ Identity) error {
	if err := v.checkSource(cred); err != nil {
		return err
	}
	return v.confirm(ctx, cred.Value, v.opts.Clock())
}

func (v *SessionVerifier) check(ctx context.Context, cred Credential) (Session, error) {
	if err := v.checkSource(cred); err != nil {
		return Session{}, err
	}
	if !validSessionID(cred.Value) {
		return Session{}, fmt.Errorf("session: %w", ReasonMalformed)
	}
	return v.lookup(ctx, cred.Value, v.opts.Clock())
}

// checkSource refuses what no session id may be: empty, too long, or from
// the query string when the options forbid it.
func (v *SessionVerifier) checkSource(cred Credential) error {
	switch {
	case cred.Value == "":
		return fmt.Errorf("session: %w", ReasonMissing)
	case len(cred.Value) > 4*sessionIDLen:
		return fmt.Errorf("session: %w", ReasonTooLarge)
	case cred.Source == SourceQuery && !v.opts.AllowQuery:
		return fmt.Errorf("session: %w: ids in the query string are refused", ReasonForbidden)
	}
	return nil
}

// lookup touches the record of id and decides on its expiry at now.
func (v *SessionVerifier) lookup(ctx context.Context, id string, now time.Time) (Session, error) {
	rec, err := v.store.Touch(ctx, id, now)
	if err != nil {
		return Session{}, storeError(ctx, err)
	}
	if rec.expired(now) {
		return Session{}, fmt.Errorf("session: %w", ReasonExpired)
	}
	return rec, nil
}

// confirm is lookup for a caller that needs only the decision: the same
// touch and the same expiry test, without a copy of the record when the
// store can answer so (liveToucher).
func (v *SessionVerifier) confirm(ctx context.Context, id string, now time.Time) error {
	if v.live == nil {
		_, err := v.lookup(ctx, id, now)
		return err
	}
	switch err := v.live.touchLive(ctx, id, now); {
	case err == nil:
		return nil
	case errors.Is(err, errSessionDead):
		return fmt.Errorf("session: %w", ReasonExpired)
	default:
		return storeError(ctx, err)
	}
}

func storeError(ctx context.Context, err error) error {
	if errors.Is(err, ErrSessionNotFound) {
		return fmt.Errorf("session: %w", ReasonUnknown)
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("session: %w: %w", ReasonUnavailable, ctxErr)
	}
	return fmt.Errorf("session: %w: store: %w", ReasonUnavailable, err)
}

// validSessionID reports whether id has the exact shape of a generated id:
// 43 characters of base64url. The last character carries 2 unused bits,
// which must be zero, so each id has exactly one spelling.
func validSessionID(id string) bool {
	if len(id) != sessionIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
		if !ok {
			return false
		}
	}
	return base64URLValue(id[len(id)-1])&3 == 0
}

// base64URLValue returns the 6-bit value of a base64url character (the
// caller has checked the alphabet).
func base64URLValue(c byte) byte {
	switch {
	case c >= 'A' && c <= 'Z':
		return c - 'A'
	case c >= 'a' && c <= 'z':
		return c - 'a' + 26
	case c >= '0' && c <= '9':
		return c - '0' + 52
	case c == '-':
		return 62
	}
	return 63
}
