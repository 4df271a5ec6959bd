package verifiers

import (
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The JWT claim and header names gatecrash reads and writes. Minting code uses
// these so it cannot drift from verification.
const (
	ClaimSubject   = "sub"
	ClaimIssuer    = "iss"
	ClaimAudience  = "aud"
	ClaimExpiresAt = "exp"
	ClaimNotBefore = "nbf"
	ClaimIssuedAt  = "iat"
	ClaimID        = "jti"
	ClaimRoles     = "roles"

	HeaderKID  = "kid"
	HeaderAlg  = "alg"
	HeaderTyp  = "typ"
	HeaderCrit = "crit"
)

// Claims is the one claims type every JWT verifier decodes into (CASES §5:
// RegisteredClaims semantics for exp/iat/nbf/aud, never MapClaims). Roles is
// a JSON array of strings; any other shape ("admin", {"admin":true}) fails
// decoding, so role checks are exact and typed (C-17).
type Claims struct {
	jwt.RegisteredClaims
	Roles []string `json:"roles,omitempty"`
}

// Validate enforces what golang-jwt leaves optional: sub, exp and iat must be
// present. golang-jwt calls it after its own checks.
func (c Claims) Validate() error {
	switch {
	case c.Subject == "":
		return fmt.Errorf("%w: %s", ReasonMissingClaim, ClaimSubject)
	case c.ExpiresAt == nil:
		return fmt.Errorf("%w: %s", ReasonMissingClaim, ClaimExpiresAt)
	case c.IssuedAt == nil:
		return fmt.Errorf("%w: %s", ReasonMissingClaim, ClaimIssuedAt)
	}
	return nil
}

// NewClaims returns claims for subject issued at now and expiring after ttl,
// with the given issuer, audience, roles and a random jti: the usual shape of
// a good token.
func NewClaims(subject, issuer string, audience []string, roles []string, now time.Time,
	ttl time.Duration) Claims {
	return Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   subject,
			Issuer:    issuer,
			Audience:  jwt.ClaimStrings(audience),
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
			ID:        randomToken(16),
		},
		Roles: roles,
	}
}
