package scenarios

import (
	"slices"

	"github.com/gatecrash/gatecrash/verifiers"
)

// KindInfo describes one credential kind a scenario's mix can name. The
// credential minting code shares this list, so a kind the scenario accepts
// is a kind the minter makes.
type KindInfo struct {
	// Name is the kind's name in scenarios and results ("jwt-expired").
	Name string
	// Method is the verification method the credential is presented to;
	// empty for "missing", which presents nothing.
	Method verifiers.Method
	// Valid says a correct verifier accepts the credential (where the
	// namespace takes its method and roles).
	Valid bool
	// Reason is the code a correct verifier rejects it with; empty for a
	// valid kind.
	Reason verifiers.Reason
	// Signed says the kind is a JWT signed with the scenario's key, so an
	// external target needs that key.
	Signed bool
	// Description says what the credential is, for documentation.
	Description string
}

var kinds = []KindInfo{
	{Name: "jwt", Method: verifiers.MethodJWT, Valid: true, Signed: true,
		Description: "a valid JWT for one of the identities"},
	{Name: "apikey", Method: verifiers.MethodAPIKey, Valid: true,
		Description: "a valid API key for one of the identities"},
	{Name: "session", Method: verifiers.MethodSession, Valid: true,
		Description: "a valid session id for one of the identities"},
	{Name: "missing", Reason: verifiers.ReasonMissing,
		Description: "no credential at all"},
	{Name: "jwt-expired", Method: verifiers.MethodJWT, Reason: verifiers.ReasonExpired, Signed: true,
		Description: "a correctly signed JWT whose exp has passed"},
	{Name: "jwt-bad-signature", Method: verifiers.MethodJWT, Reason: verifiers.ReasonBadSignature,
		Description: "a JWT signed with another key"},
	{Name: "jwt-wrong-audience", Method: verifiers.MethodJWT, Reason: verifiers.ReasonWrongAudience, Signed: true,
		Description: "a correctly signed JWT for another audience"},
	{Name: "jwt-wrong-issuer", Method: verifiers.MethodJWT, Reason: verifiers.ReasonWrongIssuer, Signed: true,
		Description: "a correctly signed JWT from another issuer"},
	{Name: "jwt-alg-none", Method: verifiers.MethodJWT, Reason: verifiers.ReasonBadAlgorithm,
		Description: `an unsigned JWT with alg "none"`},
	{Name: "jwt-no-exp", Method: verifiers.MethodJWT, Reason: verifiers.ReasonMissingClaim, Signed: true,
		Description: "a correctly signed JWT without exp"},
	{Name: "jwt-not-yet-valid", Method: verifiers.MethodJWT, Reason: verifiers.ReasonNotYetValid, Signed: true,
		Description: "a correctly signed JWT whose nbf is in the future"},
	{Name: "jwt-malformed", Method: verifiers.MethodJWT, Reason: verifiers.ReasonMalformed,
		Description: "a string that is not a JWT"},
	{Name: "jwt-oversize", Method: verifiers.MethodJWT, Reason: verifiers.ReasonTooLarge, Signed: true,
		Description: "a correctly signed JWT longer than the verifier's cap"},
	{Name: "apikey-unknown", Method: verifiers.MethodAPIKey, Reason: verifiers.ReasonUnknown,
		Description: "a well-formed API key that was never issued"},
	{Name: "apikey-revoked", Method: verifiers.MethodAPIKey, Reason: verifiers.ReasonRevoked,
		Description: "an API key that was issued, then revoked"},
	{Name: "session-unknown", Method: verifiers.MethodSession, Reason: verifiers.ReasonUnknown,
		Description: "a well-formed session id that was never issued"},
	{Name: "session-expired", Method: verifiers.MethodSession, Reason: verifiers.ReasonExpired,
		Description: "a session id whose session has expired"},
}

// Kinds returns every credential kind, valid ones first. The slice is a
// copy.
func Kinds() []KindInfo { return slices.Clone(kinds) }

// LookupKind returns the kind called name.
func LookupKind(name string) (KindInfo, bool) {
	i := slices.IndexFunc(kinds, func(k KindInfo) bool { return k.Name == name })
	if i < 0 {
		return KindInfo{}, false
	}
	return kinds[i], true
}

func kindNames() []string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Name
	}
	return names
}

// placesFor lists where a credential of method m can travel; the first is
// the default.
func placesFor(m verifiers.Method) []verifiers.Source {
	switch m {
	case verifiers.MethodSession:
		return []verifiers.Source{verifiers.SourceAuth, verifiers.SourceCookie}
	case verifiers.MethodJWT, verifiers.MethodAPIKey:
		return []verifiers.Source{verifiers.SourceAuth, verifiers.SourceHeader, verifiers.SourceQuery}
	}
	return nil
}

// jwtAlgs are the signing algorithms a scenario may name; "none" is only
// reachable through the jwt-alg-none kind.
var jwtAlgs = []string{"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"}

func isHMAC(alg string) bool { return len(alg) > 2 && alg[:2] == "HS" }
