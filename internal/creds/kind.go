package creds

import (
	"fmt"
	"slices"

	"github.com/gatecrash/gatecrash/verifiers"
)

// Kind is one sort of credential: its name (the row of the rejection
// matrix), the method it is for, and, for a bad kind, the reason a correct
// server gives when it rejects it.
type Kind struct {
	// Name is the kind's stable name, for example "jwt-hs256", "jwt-expired".
	Name string
	// Method is the verification method the credential is for; empty for
	// "missing", which presents nothing.
	Method verifiers.Method
	// Alg is the JWS algorithm of a valid per-algorithm JWT kind; empty for
	// the others, which use Config.Keys[0].
	Alg string
	// Valid says the credential is good: accepted wherever its method is
	// accepted and its roles suffice.
	Valid bool
	// Reason is the code a bad kind is rejected with by gatecrash's
	// verifiers; empty for a valid kind.
	Reason verifiers.Reason
	// Cases are the CASES.md rows the kind stands for.
	Cases []string
	// Summary says in a few words what the credential is.
	Summary string

	need need
	mint mintFunc
}

// need is the material a kind is minted from.
type need int

const (
	needNothing  need = iota
	needJWTKey        // a signing key (of Alg when set)
	needAPIKeys       // a key store (embedded) or records (external)
	needSessions      // a session store (embedded) or records (external)
	needDenylist      // a JWT denylist (embedded only)
)

// catalogue is the table of kinds, in the order Catalogue lists them.
var catalogue = []Kind{
	validJWT("jwt", "", "a valid JWT signed with the first configured key"),
	validJWT("jwt-hs256", verifiers.AlgHS256, "a valid HS256 JWT"),
	validJWT("jwt-hs384", verifiers.AlgHS384, "a valid HS384 JWT"),
	validJWT("jwt-hs512", verifiers.AlgHS512, "a valid HS512 JWT"),
	validJWT("jwt-rs256", verifiers.AlgRS256, "a valid RS256 JWT"),
	validJWT("jwt-ps256", verifiers.AlgPS256, "a valid PS256 JWT"),
	validJWT("jwt-es256", verifiers.AlgES256, "a valid ES256 JWT"),
	validJWT("jwt-eddsa", verifiers.AlgEdDSA, "a valid EdDSA JWT"),
	{Name: "apikey", Method: verifiers.MethodAPIKey, Valid: true, need: needAPIKeys,
		Summary: "a valid API key", mint: mintAPIKey},
	{Name: "session", Method: verifiers.MethodSession, Valid: true, need: needSessions,
		Summary: "a valid session id", mint: mintSession},

	{Name: "missing", Reason: verifiers.ReasonMissing, Cases: []string{"A-01", "F-01"},
		Summary: "no credential at all", mint: mintNothing},
	badJWT("jwt-expired", verifiers.ReasonExpired, "exp an hour ago", mintJWTExpired, "C-01"),
	badJWT("jwt-bad-signature", verifiers.ReasonBadSignature, "signature altered", mintJWTBadSignature,
		"B-07"),
	badJWT("jwt-wrong-audience", verifiers.ReasonWrongAudience, "aud of another service",
		mintJWTWrongAudience, "C-14", "C-15"),
	badJWT("jwt-wrong-issuer", verifiers.ReasonWrongIssuer, "iss of another issuer",
		mintJWTWrongIssuer, "C-13"),
	badJWT("jwt-alg-none", verifiers.ReasonBadAlgorithm, `alg "none", no signature`, mintJWTAlgNone,
		"B-04"),
	badJWT("jwt-wrong-alg", verifiers.ReasonBadAlgorithm,
		"another algorithm with the same key material (HS→HS, RS↔PS, public key as HMAC secret)",
		mintJWTWrongAlg, "B-05", "B-06"),
	badJWT("jwt-no-exp", verifiers.ReasonMissingClaim, "no exp claim", mintJWTNoExp, "C-04"),
	badJWT("jwt-no-iat", verifiers.ReasonMissingClaim, "no iat claim", mintJWTNoIat, "C-12"),
	badJWT("jwt-no-sub", verifiers.ReasonMissingClaim, "no sub claim", mintJWTNoSub, "C-21"),
	badJWT("jwt-not-yet-valid", verifiers.ReasonNotYetValid, "nbf an hour ahead",
		mintJWTNotYetValid, "C-10"),
	badJWT("jwt-iat-future", verifiers.ReasonNotYetValid, "iat an hour ahead", mintJWTIatFuture,
		"C-11"),
	badJWT("jwt-malformed", verifiers.ReasonMalformed, "three segments that are not base64url JSON",
		mintJWTMalformed, "B-01", "B-02"),
	badJWT("jwt-oversize", verifiers.ReasonTooLarge, "a signed token padded past the length cap",
		mintJWTOversize, "A-13", "I-09"),
	badJWT("jwt-unknown-kid", verifiers.ReasonUnknownKey, "a kid the server does not know",
		mintJWTUnknownKID, "B-11"),
	badJWT("jwt-crit", verifiers.ReasonMalformed, "a crit header naming an unknown extension",
		mintJWTCrit, "B-15"),
	badJWT("jwt-roles-string", verifiers.ReasonMissingClaim, `roles as a string, not an array`,
		mintJWTRolesString, "C-17"),
	badJWT("jwt-wrong-type", verifiers.ReasonWrongType, `typ "refresh+jwt" (token-type confusion)`,
		mintJWTWrongType, "B-16"),
	{Name: "jwt-revoked", Method: verifiers.MethodJWT, Reason: verifiers.ReasonRevoked,
		Cases: []string{"C-18"}, need: needDenylist, Summary: "a valid JWT whose jti is denylisted",
		mint: mintJWTRevoked},

	badKey("apikey-unknown", verifiers.ReasonUnknown, needNothing, "a well-formed key not in the store",
		mintAPIKeyUnknown, "D-01"),
	badKey("apikey-revoked", verifiers.ReasonRevoked, needAPIKeys, "a key revoked before the run",
		mintAPIKeyRevoked, "D-02"),
	badKey("apikey-expired", verifiers.ReasonExpired, needAPIKeys, "a key past its expiry",
		mintAPIKeyExpired),
	badKey("apikey-wrong-env", verifiers.ReasonUnknown, needNothing, "a well-formed key of another env",
		mintAPIKeyWrongEnv, "D-03"),
	badKey("apikey-wrong-secret", verifiers.ReasonUnknown, needAPIKeys,
		"a stored key's id with an altered secret", mintAPIKeyWrongSecret, "D-04", "D-06"),
	badKey("apikey-malformed", verifiers.ReasonMalformed, needNothing, "a key truncated by one character",
		mintAPIKeyMalformed, "D-04"),

	badSession("session-unknown", verifiers.ReasonUnknown, needNothing, "a well-formed id not in the store",
		mintSessionUnknown, "E-01"),
	badSession("session-expired", verifiers.ReasonExpired, needSessions, "a session past its expiry",
		mintSessionExpired, "E-02"),
	badSession("session-tampered", verifiers.ReasonUnknown, needSessions,
		"a live session id with one character changed", mintSessionTampered, "E-03"),
}

func validJWT(name, alg, summary string) Kind {
	return Kind{Name: name, Method: verifiers.MethodJWT, Alg: alg, Valid: true, need: needJWTKey,
		Summary: summary, mint: mintJWTValid}
}

func badJWT(name string, r verifiers.Reason, summary string, f mintFunc, cases ...string) Kind {
	return Kind{Name: name, Method: verifiers.MethodJWT, Reason: r, Cases: cases, need: needJWTKey,
		Summary: summary, mint: f}
}

func badKey(name string, r verifiers.Reason, n need, summary string, f mintFunc, cases ...string) Kind {
	return Kind{Name: name, Method: verifiers.MethodAPIKey, Reason: r, Cases: cases, need: n,
		Summary: summary, mint: f}
}

func badSession(name string, r verifiers.Reason, n need, summary string, f mintFunc,
	cases ...string) Kind {
	return Kind{Name: name, Method: verifiers.MethodSession, Reason: r, Cases: cases, need: n,
		Summary: summary, mint: f}
}

// Catalogue returns every kind, valid ones first. The slice is a copy.
func Catalogue() []Kind {
	out := make([]Kind, len(catalogue))
	for i, k := range catalogue {
		k.Cases = slices.Clone(k.Cases)
		out[i] = k
	}
	return out
}

// Lookup returns the kind called name, or an error wrapping ErrUnknownKind.
func Lookup(name string) (Kind, error) {
	for _, k := range catalogue {
		if k.Name == name {
			k.Cases = slices.Clone(k.Cases)
			return k, nil
		}
	}
	return Kind{}, fmt.Errorf("%w: %q", ErrUnknownKind, name)
}

// NeedsKey says the kind is a JWT signed with the run's key, so a target
// with its own identity provider must share that key for it to be minted.
func (k Kind) NeedsKey() bool { return k.need == needJWTKey }

// NeedsRecords says the kind is an API key or session that must exist in the
// target's store: embedded runs create it, external runs read it from a
// records file.
func (k Kind) NeedsRecords() bool { return k.need == needAPIKeys || k.need == needSessions }

// EmbeddedOnly says the kind can only be minted for the embedded server
// (a token revoked through the server's own denylist).
func (k Kind) EmbeddedOnly() bool { return k.need == needDenylist }
