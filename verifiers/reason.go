package verifiers

import "errors"

// Reason is the stable code of a verification failure. It is the vocabulary of
// the whole product: CONNECT_ERROR data.code, audit log, metrics and results
// all carry it. A Reason is itself an error, so verifiers wrap it with %w and
// callers test it with errors.Is(err, verifiers.ReasonExpired).
type Reason string

// Error returns the code itself.
func (r Reason) Error() string { return string(r) }

// The reason codes. Their spelling is part of the results schema: add codes,
// never rename them.
const (
	ReasonMissing       Reason = "missing"        // no credential presented
	ReasonMalformed     Reason = "malformed"      // not parseable: encoding, segments, JSON, type
	ReasonTooLarge      Reason = "too_large"      // longer than the verifier's cap; not parsed
	ReasonBadAlgorithm  Reason = "bad_algorithm"  // alg outside the allowlist, none, unknown
	ReasonBadSignature  Reason = "bad_signature"  // signature or HMAC does not verify
	ReasonUnknownKey    Reason = "unknown_key"    // kid not found or not acceptable
	ReasonExpired       Reason = "expired"        // exp (or record expiry) passed
	ReasonNotYetValid   Reason = "not_yet_valid"  // nbf or iat in the future
	ReasonWrongIssuer   Reason = "wrong_issuer"   // iss missing or different
	ReasonWrongAudience Reason = "wrong_audience" // aud missing or different
	ReasonWrongType     Reason = "wrong_type"     // JWT typ header not accepted (token-type confusion)
	ReasonMissingClaim  Reason = "missing_claim"  // a required claim is absent or mistyped
	ReasonLifetime      Reason = "lifetime"       // exp - iat longer than the policy allows
	ReasonRevoked       Reason = "revoked"        // on a denylist, or revoked in the store
	ReasonUnknown       Reason = "unknown"        // API key or session not in the store
	ReasonForbidden     Reason = "forbidden"      // valid, but not allowed here (role, namespace)
	ReasonConflict      Reason = "conflict"       // several credentials presented that disagree
	ReasonUnavailable   Reason = "unavailable"    // store or key source down or too slow
	ReasonInternal      Reason = "internal"       // a failure that is not a decision; a bug
)

// ReasonOf returns the Reason carried by err, ReasonInternal when err carries
// none, and "" for a nil error.
func ReasonOf(err error) Reason {
	if err == nil {
		return ""
	}
	var r Reason
	if errors.As(err, &r) {
		return r
	}
	return ReasonInternal
}
