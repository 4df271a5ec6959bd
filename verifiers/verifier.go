package verifiers

import (
	"context"
	"time"
)

// Method names a kind of credential verification. The same names appear in
// policies, scenarios, audit logs, metrics and results.
type Method string

// The verification methods gatecrash knows.
const (
	MethodJWT     Method = "jwt"
	MethodAPIKey  Method = "apikey"
	MethodSession Method = "session"
)

// Source says where a credential travelled on the wire. Header, cookie and
// query credentials belong to the whole Engine.IO session (they come from its
// first HTTP request); auth credentials belong to one namespace CONNECT.
type Source string

// The places a credential can come from.
const (
	SourceAuth   Source = "auth"   // the auth object of the Socket.IO CONNECT packet
	SourceHeader Source = "header" // the Authorization (or X-API-Key) header of the handshake request
	SourceCookie Source = "cookie" // the session cookie of the handshake request
	SourceQuery  Source = "query"  // the query string of the handshake URL
)

// Credential is one presented credential: its raw value and where it came
// from. Value is what the client sent, after the transport framing (for a
// header, without the "Bearer " or "ApiKey " scheme).
type Credential struct {
	Method Method
	Source Source
	Value  string
}

// Identity is who a verified credential says the client is.
type Identity struct {
	// Subject is the principal: the JWT "sub", the API key's owner, the
	// session's user.
	Subject string
	// Roles are the principal's roles, exact strings.
	Roles []string
	// Method is the method that verified the credential.
	Method Method
	// Expires is when the credential stops being valid; the zero time means
	// it carries no expiry of its own (a session's absolute expiry, a key's
	// expiry, or a token's exp are always set when they exist).
	Expires time.Time
	// Namespaces restricts the credential to these namespaces; nil means no
	// restriction beyond the server's policy.
	Namespaces []string
	// CredentialID identifies the credential for revocation: the JWT "jti",
	// the API key's lookup prefix, the session id's fingerprint. Never the
	// secret itself.
	CredentialID string
}

// HasRole reports whether the identity holds role, compared exactly.
func (id Identity) HasRole(role string) bool {
	for _, r := range id.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// Verifier decides whether one credential is valid. Implementations are safe
// for concurrent use. A rejection is an error that carries a Reason, so
// ReasonOf(err) is never ReasonInternal for a decision the verifier made on
// purpose. Verify honours ctx: a store that does not answer before the
// deadline yields ReasonUnavailable, never an acceptance.
type Verifier interface {
	Method() Method
	Verify(ctx context.Context, cred Credential) (Identity, error)
}
