package admin

import (
	"errors"
	"fmt"
	"time"

	"github.com/gatecrash/gatecrash/verifiers"
)

// RevokePath is the revocation endpoint on the metrics listener.
const RevokePath = "/admin/revoke"

// Sentinels for what callers branch on: the handler maps them to HTTP
// statuses, the client maps the statuses back.
var (
	// ErrBadRequest: the request is malformed (unknown kind, no id).
	ErrBadRequest = errors.New("admin: bad request")
	// ErrNotFound: the store has no such credential.
	ErrNotFound = errors.New("admin: credential not found")
	// ErrUnavailable: the store did not answer (Redis down).
	ErrUnavailable = errors.New("admin: store unavailable")
)

// Request asks for one revocation.
type Request struct {
	// Kind is the credential's method: verifiers.MethodAPIKey,
	// MethodSession or MethodJWT.
	Kind verifiers.Method `json:"kind"`
	// ID is the API key's id, the session's id (a secret: it travels in the
	// body, never in a URL, and is logged only as its fingerprint), or the
	// JWT's jti.
	ID string `json:"id"`
	// Until is, for a JWT, how long its jti stays denylisted: the token's
	// exp is enough. Zero means the revoker's default.
	Until time.Time `json:"until,omitzero"`
}

// Validate reports a request no store can act on.
func (r Request) Validate() error {
	switch r.Kind {
	case verifiers.MethodAPIKey, verifiers.MethodSession, verifiers.MethodJWT:
	default:
		return fmt.Errorf("%w: kind %q (want apikey, session or jwt)", ErrBadRequest, r.Kind)
	}
	if r.ID == "" {
		return fmt.Errorf("%w: no id", ErrBadRequest)
	}
	if !r.Until.IsZero() && r.Kind != verifiers.MethodJWT {
		return fmt.Errorf("%w: until applies to jwt only", ErrBadRequest)
	}
	return nil
}

// Response is what a revocation did in the server that answered.
type Response struct {
	Kind verifiers.Method `json:"kind"`
	// CredentialID is what sockets are bound to and what other servers
	// sharing the store are told: the key id, the session's fingerprint,
	// the jti.
	CredentialID string `json:"credential_id"`
	// Disconnected counts the sockets this server disconnected. Servers
	// sharing a Redis disconnect theirs when the announcement reaches them;
	// they are not counted here.
	Disconnected int `json:"disconnected"`
	// Until is when a JWT's denylisting ends.
	Until time.Time `json:"until,omitzero"`
}
