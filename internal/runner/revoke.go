package runner

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gatecrash/gatecrash/internal/admin"
	"github.com/gatecrash/gatecrash/verifiers"
)

// DefaultTokenRevocation is how long a jti revoked without an end time
// stays denylisted. A token living longer than this after its revocation is
// accepted again once it ends: give admin.Request.Until (the token's exp)
// for such tokens.
const DefaultTokenRevocation = 24 * time.Hour

// Revoke revokes req's credential in the server's stores and disconnects
// the sockets bound to it here; with Redis, every server sharing it hears
// the announcement and disconnects its own. It implements admin.Revoker:
// the admin endpoint (ReferenceConfig.Admin) calls it. Errors wrap
// admin.ErrNotFound or admin.ErrUnavailable.
func (r *Reference) Revoke(ctx context.Context, req admin.Request) (admin.Response, error) {
	if err := req.Validate(); err != nil {
		return admin.Response{}, err
	}
	resp := admin.Response{Kind: req.Kind, CredentialID: req.ID}
	var err error
	switch req.Kind {
	case verifiers.MethodAPIKey:
		err = r.stores.keys.Revoke(ctx, req.ID)
	case verifiers.MethodSession:
		resp.CredentialID = verifiers.Fingerprint(req.ID)
		err = r.destroySession(ctx, req.ID)
	case verifiers.MethodJWT:
		resp.Until = req.Until
		if resp.Until.IsZero() {
			resp.Until = r.now().Add(DefaultTokenRevocation)
		}
		err = r.stores.tokens.Revoke(ctx, req.ID, resp.Until)
	}
	if err != nil {
		return admin.Response{}, revokeErr(req.Kind, err)
	}
	if l := r.stores.link; l != nil {
		resp.Disconnected = l.disconnect(r.Server, resp.CredentialID)
	} else {
		resp.Disconnected = r.Server.Revoke(resp.CredentialID)
	}
	r.audit.Info("credential revoked", "event", "revoked", "method", string(req.Kind),
		"credential", resp.CredentialID, "disconnected", resp.Disconnected)
	return resp, nil
}

// destroySession destroys a session that exists; ErrSessionNotFound
// otherwise.
func (r *Reference) destroySession(ctx context.Context, id string) error {
	if _, err := r.stores.sessions.Get(ctx, id); err != nil {
		return err
	}
	return r.stores.sessions.Destroy(ctx, id)
}

// revokeErr wraps a store's failure in the admin sentinel it stands for:
// not found, or unavailable (any other store failure: Redis down or slow).
func revokeErr(kind verifiers.Method, err error) error {
	if errors.Is(err, verifiers.ErrKeyNotFound) || errors.Is(err, verifiers.ErrSessionNotFound) ||
		errors.Is(err, redis.Nil) {
		return fmt.Errorf("revoke %s: %w: %w", kind, admin.ErrNotFound, err)
	}
	return fmt.Errorf("revoke %s: %w: %w", kind, admin.ErrUnavailable, err)
}
