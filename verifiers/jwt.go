package verifiers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// JWT verifies JSON Web Tokens strictly (CASES groups B and C). It is safe
// for concurrent use. Close releases a JWKS key source's refresh goroutine.
type JWT struct {
	cfg    JWTConfig
	keys   keySource
	parser *jwt.Parser
}

// NewJWT returns a JWT verifier for cfg. With a JWKS it fetches the key set
// once before returning (an unreachable URL leaves an empty set: every token
// is then rejected with ReasonUnknownKey until a refresh succeeds).
func NewJWT(cfg JWTConfig) (*JWT, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	var keys keySource
	if cfg.JWKS != nil {
		keys, err = newJWKSKeys(*cfg.JWKS)
	} else {
		keys, err = newStaticKeys(cfg.Keys)
	}
	if err != nil {
		return nil, err
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods(keys.algorithms()),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(cfg.Leeway),
		jwt.WithStrictDecoding(),
		jwt.WithTimeFunc(cfg.Clock),
	)
	return &JWT{cfg: cfg, keys: keys, parser: parser}, nil
}

// Method returns MethodJWT.
func (v *JWT) Method() Method { return MethodJWT }

// Close stops background key refreshes. The verifier must not be used after.
func (v *JWT) Close() { v.keys.close() }

// Generations combines the denylist's generations (when it publishes them)
// with the JWKS key set's, which change when a refresh removes or adds keys
// (CASES H-07).
func (v *JWT) Generations() GenerationSource {
	return CombineGenerations(generationsOf(v.cfg.Denylist), generationsOf(v.keys))
}

// Verify checks a compact JWS: its length and alphabet before any decoding,
// then header, signature, standard claims and the policy (issuer, audience,
// lifetime, jti, denylist). Only a token that passes all of them yields an
// Identity.
func (v *JWT) Verify(ctx context.Context, cred Credential) (Identity, error) {
	if err := v.precheck(cred.Value); err != nil {
		return Identity{}, err
	}

	claims := &Claims{}
	token, err := v.parser.ParseWithClaims(cred.Value, claims, v.keyfunc(ctx))
	if err != nil || token == nil || !token.Valid {
		return Identity{}, v.classify(token, err)
	}
	if err := v.checkPolicy(ctx, claims); err != nil {
		return Identity{}, err
	}

	id := claims.ID
	if id == "" {
		id = Fingerprint(cred.Value)
	}
	return Identity{
		Subject:      claims.Subject,
		Roles:        slices.Clone(claims.Roles),
		Method:       MethodJWT,
		Expires:      claims.ExpiresAt.Time,
		CredentialID: id,
	}, nil
}

// precheck rejects what needs no parsing: nothing, too much, characters
// outside the base64url alphabet and the two dots (whitespace, control bytes,
// a scheme prefix, CASES, B-02, B-03).
func (v *JWT) precheck(tok string) error {
	switch {
	case tok == "":
		return fmt.Errorf("jwt: %w", ReasonMissing)
	case len(tok) > v.cfg.MaxTokenLength:
		return fmt.Errorf("jwt: %w: longer than %d bytes", ReasonTooLarge, v.cfg.MaxTokenLength)
	}
	dots := 0
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		switch {
		case c == '.':
			dots++
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			return fmt.Errorf("jwt: %w: character outside base64url", ReasonMalformed)
		}
	}
	if dots != 2 {
		return fmt.Errorf("jwt: %w: not three segments", ReasonMalformed)
	}
	return nil
}

// keyfunc checks the header (crit, typ, embedded key references, kid) and
// returns the one key for the token's kid and alg.
func (v *JWT) keyfunc(ctx context.Context) jwt.Keyfunc {
	return func(t *jwt.Token) (any, error) {
		if err := v.checkHeader(t.Header); err != nil {
			return nil, err
		}
		kid, hasKID, err := headerKID(t.Header)
		if err != nil {
			return nil, err
		}
		return v.keys.lookup(ctx, kid, hasKID, t.Method.Alg())
	}
}

// keyReferenceHeaders name keys by location or value. They are never
// followed; a token carrying one is refused rather than silently half-read.
var keyReferenceHeaders = []string{"jku", "jwk", "x5u", "x5c"}

func (v *JWT) checkHeader(h map[string]any) error {
	if _, ok := h[HeaderCrit]; ok {
		// RFC 7515 §4.1.11: no extension is understood, so any crit is fatal.
		return fmt.Errorf("%w: crit header not supported", ReasonMalformed)
	}
	for _, name := range keyReferenceHeaders {
		if _, ok := h[name]; ok {
			return fmt.Errorf("%w: key reference headers are not accepted", ReasonUnknownKey)
		}
	}
	typ := ""
	if raw, ok := h[HeaderTyp]; ok {
		s, isString := raw.(string)
		if !isString {
			return fmt.Errorf("%w: typ is not a string", ReasonWrongType)
		}
		typ = strings.ToLower(s)
	}
	if !slices.Contains(v.cfg.Types, typ) {
		return fmt.Errorf("%w: typ not accepted", ReasonWrongType)
	}
	return nil
}

func headerKID(h map[string]any) (kid string, ok bool, err error) {
	raw, present := h[HeaderKID]
	if !present {
		return "", false, nil
	}
	kid, isString := raw.(string)
	if !isString || !validKID(kid) {
		return "", false, fmt.Errorf("%w: kid is not a short [A-Za-z0-9._-] string", ReasonUnknownKey)
	}
	return kid, true, nil
}

// checkPolicy applies what golang-jwt does not: exact issuer, audience
// any-of, maximum lifetime, jti presence and the denylist.
func (v *JWT) checkPolicy(ctx context.Context, c *Claims) error {
	if c.Issuer != v.cfg.Issuer {
		return fmt.Errorf("jwt: %w", ReasonWrongIssuer)
	}
	if !slices.ContainsFunc(c.Audience, func(a string) bool {
		return a != "" && slices.Contains(v.cfg.Audiences, a)
	}) {
		return fmt.Errorf("jwt: %w", ReasonWrongAudience)
	}
	if v.cfg.MaxLifetime > 0 && c.ExpiresAt.Sub(c.IssuedAt.Time) > v.cfg.MaxLifetime {
		return fmt.Errorf("jwt: %w: exp - iat exceeds %s", ReasonLifetime, v.cfg.MaxLifetime)
	}
	if v.cfg.RequireJTI && c.ID == "" {
		return fmt.Errorf("jwt: %w: %s", ReasonMissingClaim, ClaimID)
	}
	if v.cfg.Denylist == nil {
		return nil
	}
	revoked, err := v.cfg.Denylist.Revoked(ctx, c.ID)
	switch {
	case err != nil:
		return fmt.Errorf("jwt: %w: denylist: %w", ReasonUnavailable, err)
	case revoked:
		return fmt.Errorf("jwt: %w", ReasonRevoked)
	}
	return nil
}

// classify maps a golang-jwt failure to a Reason. It keeps the library's
// sentinel for errors.Is but not its message, which can quote header values
// chosen by the client (CASES A-15: no log injection).
func (v *JWT) classify(token *jwt.Token, err error) error {
	var r Reason
	if errors.As(err, &r) {
		return fmt.Errorf("jwt: %w", r)
	}
	if token != nil && token.Method != nil && !slices.Contains(v.keys.algorithms(), token.Method.Alg()) {
		return fmt.Errorf("jwt: %w", ReasonBadAlgorithm)
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return fmt.Errorf("jwt: %w: a claim has the wrong JSON type", ReasonMissingClaim)
	}
	for _, m := range jwtReasons {
		if errors.Is(err, m.sentinel) {
			return fmt.Errorf("jwt: %w: %w", m.reason, m.sentinel)
		}
	}
	return fmt.Errorf("jwt: %w: unclassified parser error", ReasonMalformed)
}

// jwtReasons orders golang-jwt sentinels by precedence: a signature failure
// is never reported as expiry (CASES B-08); a mistyped claim is a claim
// problem, not a framing one.
var jwtReasons = []struct {
	sentinel error
	reason   Reason
}{
	{jwt.ErrInvalidType, ReasonMissingClaim},
	{jwt.ErrTokenMalformed, ReasonMalformed},
	{jwt.ErrTokenUnverifiable, ReasonBadAlgorithm},
	{jwt.ErrTokenSignatureInvalid, ReasonBadSignature},
	{jwt.ErrTokenRequiredClaimMissing, ReasonMissingClaim},
	{jwt.ErrTokenExpired, ReasonExpired},
	{jwt.ErrTokenNotValidYet, ReasonNotYetValid},
	{jwt.ErrTokenUsedBeforeIssued, ReasonNotYetValid},
	{jwt.ErrTokenInvalidClaims, ReasonMissingClaim},
}
