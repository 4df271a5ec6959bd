package creds

import (
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/gatecrash/gatecrash/verifiers"
)

// unknownKID is the kid of jwt-unknown-kid tokens: well-formed, never issued.
const unknownKID = "gatecrash-unknown-kid"

// claims returns good claims for id, issued at now.
func (m *minter) claims(id ident, now time.Time) verifiers.Claims {
	return verifiers.NewClaims(id.subject, m.cfg.Issuer, []string{m.cfg.Audience}, id.roles, now,
		m.cfg.TTL)
}

// sign signs claims with the kind's key; edit, when set, changes the claims
// first.
func (m *minter) sign(alg string, id ident, edit func(*verifiers.Claims, time.Time)) (minted, error) {
	now := m.cfg.Clock()
	c := m.claims(id, now)
	if edit != nil {
		edit(&c, now)
	}
	tok, err := m.cfg.keyFor(alg).Sign(c)
	return minted{value: tok, subject: id.subject}, err
}

// signRaw signs claims with key material under alg and the given header
// fields, for the kinds the SigningKey API will not produce.
func signRaw(alg string, key any, header map[string]any, claims jwt.Claims) (string, error) {
	method := jwt.GetSigningMethod(alg)
	if method == nil {
		return "", fmt.Errorf("%w: %q", verifiers.ErrUnsupportedAlgorithm, alg)
	}
	t := jwt.NewWithClaims(method, claims)
	for k, v := range header {
		t.Header[k] = v
	}
	return t.SignedString(key)
}

func mintJWTValid(m *minter, id ident) (minted, error) {
	return m.sign(id.alg, id, nil)
}

func mintJWTExpired(m *minter, id ident) (minted, error) {
	return m.sign("", id, func(c *verifiers.Claims, now time.Time) {
		c.IssuedAt = jwt.NewNumericDate(now.Add(-badOffset - m.cfg.TTL))
		c.NotBefore = c.IssuedAt
		c.ExpiresAt = jwt.NewNumericDate(now.Add(-badOffset))
	})
}

func mintJWTWrongAudience(m *minter, id ident) (minted, error) {
	return m.sign("", id, func(c *verifiers.Claims, _ time.Time) {
		c.Audience = jwt.ClaimStrings{m.cfg.Audience + "-other"}
	})
}

func mintJWTWrongIssuer(m *minter, id ident) (minted, error) {
	return m.sign("", id, func(c *verifiers.Claims, _ time.Time) { c.Issuer = m.cfg.Issuer + "-other" })
}

func mintJWTNoExp(m *minter, id ident) (minted, error) {
	return m.sign("", id, func(c *verifiers.Claims, _ time.Time) { c.ExpiresAt = nil })
}

func mintJWTNoIat(m *minter, id ident) (minted, error) {
	return m.sign("", id, func(c *verifiers.Claims, _ time.Time) { c.IssuedAt = nil })
}

func mintJWTNoSub(m *minter, id ident) (minted, error) {
	return m.sign("", id, func(c *verifiers.Claims, _ time.Time) { c.Subject = "" })
}

func mintJWTNotYetValid(m *minter, id ident) (minted, error) {
	return m.sign("", id, func(c *verifiers.Claims, now time.Time) {
		c.NotBefore = jwt.NewNumericDate(now.Add(badOffset))
	})
}

func mintJWTIatFuture(m *minter, id ident) (minted, error) {
	return m.sign("", id, func(c *verifiers.Claims, now time.Time) {
		c.IssuedAt = jwt.NewNumericDate(now.Add(badOffset))
		c.NotBefore = nil
	})
}

// mintJWTBadSignature changes one character in the middle of a valid
// token's signature: every algorithm then fails to verify, and the encoding
// stays canonical (the last character, which may carry padding bits, is
// left alone).
func mintJWTBadSignature(m *minter, id ident) (minted, error) {
	got, err := m.sign("", id, nil)
	if err != nil {
		return got, err
	}
	dot := strings.LastIndexByte(got.value, '.')
	sig := []byte(got.value[dot+1:])
	sig[len(sig)/2] = otherChar(sig[len(sig)/2])
	got.value = got.value[:dot+1] + string(sig)
	return got, nil
}

// otherChar returns another base64url character than c.
func otherChar(c byte) byte {
	if c == 'A' {
		return 'B'
	}
	return 'A'
}

func mintJWTAlgNone(m *minter, id ident) (minted, error) {
	c := m.claims(id, m.cfg.Clock())
	tok, err := jwt.NewWithClaims(jwt.SigningMethodNone, c).SignedString(jwt.UnsafeAllowNoneSignatureType)
	return minted{value: tok, subject: id.subject}, err
}

// mintJWTWrongAlg signs with the right key material under another algorithm
// of the same family (HS256 → HS384, RS256 ↔ PS256), or, for EC and Ed25519
// keys, uses the PEM public key as an HMAC secret (the RS→HS confusion).
func mintJWTWrongAlg(m *minter, id ident) (minted, error) {
	key := m.cfg.keyFor("")
	alg, material := wrongAlg(key)
	c := m.claims(id, m.cfg.Clock())
	tok, err := signRaw(alg, material, map[string]any{verifiers.HeaderKID: key.KID()}, c)
	return minted{value: tok, subject: id.subject}, err
}

func wrongAlg(key *verifiers.SigningKey) (string, any) {
	switch key.Alg() {
	case verifiers.AlgHS256:
		return verifiers.AlgHS384, key.Key()
	case verifiers.AlgHS384, verifiers.AlgHS512:
		return verifiers.AlgHS256, key.Key()
	case verifiers.AlgRS256:
		return verifiers.AlgPS256, key.Key()
	case verifiers.AlgPS256:
		return verifiers.AlgRS256, key.Key()
	}
	return verifiers.AlgHS256, publicPEM(key)
}

// publicPEM is the PEM encoding of an asymmetric key's public half, the
// bytes a confused verifier would take as an HMAC secret.
func publicPEM(key *verifiers.SigningKey) []byte {
	signer, ok := key.Key().(crypto.Signer)
	if !ok {
		return []byte("not an asymmetric key")
	}
	der, err := x509.MarshalPKIXPublicKey(signer.Public())
	if err != nil {
		return []byte("unmarshalable public key")
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// mintJWTMalformed builds three base64url segments whose header is not
// JSON; the random middle segment keeps every token distinct.
func mintJWTMalformed(_ *minter, id ident) (minted, error) {
	enc := base64.RawURLEncoding
	tok := enc.EncodeToString([]byte(`{"alg":`)) + "." + randomURL(24) + "." + randomURL(32)
	return minted{value: tok, subject: id.subject}, nil
}

// paddedClaims are good claims with a filler claim that makes the token
// longer than any sensible cap.
type paddedClaims struct {
	verifiers.Claims
	Pad string `json:"pad"`
}

func mintJWTOversize(m *minter, id ident) (minted, error) {
	key := m.cfg.keyFor("")
	c := paddedClaims{Claims: m.claims(id, m.cfg.Clock())}
	// base64url grows JSON by 4/3; the pad alone then exceeds OversizeBytes.
	c.Pad = strings.Repeat("x", m.cfg.OversizeBytes*3/4+1)
	tok, err := key.Sign(c)
	return minted{value: tok, subject: id.subject}, err
}

func mintJWTUnknownKID(m *minter, id ident) (minted, error) {
	key := m.cfg.keyFor("")
	c := m.claims(id, m.cfg.Clock())
	tok, err := signRaw(key.Alg(), key.Key(), map[string]any{verifiers.HeaderKID: unknownKID}, c)
	return minted{value: tok, subject: id.subject}, err
}

func mintJWTCrit(m *minter, id ident) (minted, error) {
	key := m.cfg.keyFor("")
	c := m.claims(id, m.cfg.Clock())
	h := map[string]any{verifiers.HeaderKID: key.KID(), verifiers.HeaderCrit: []string{"x-gatecrash"},
		"x-gatecrash": 1}
	tok, err := signRaw(key.Alg(), key.Key(), h, c)
	return minted{value: tok, subject: id.subject}, err
}

func mintJWTWrongType(m *minter, id ident) (minted, error) {
	key := m.cfg.keyFor("")
	c := m.claims(id, m.cfg.Clock())
	h := map[string]any{verifiers.HeaderKID: key.KID(), verifiers.HeaderTyp: "refresh+jwt"}
	tok, err := signRaw(key.Alg(), key.Key(), h, c)
	return minted{value: tok, subject: id.subject}, err
}

// rolesStringClaims carries "roles" as a string ("admin"), a shape a strict
// verifier must refuse rather than read as a role (CASES C-17).
type rolesStringClaims struct {
	jwt.RegisteredClaims
	Roles string `json:"roles"`
}

func mintJWTRolesString(m *minter, id ident) (minted, error) {
	key := m.cfg.keyFor("")
	good := m.claims(id, m.cfg.Clock())
	c := rolesStringClaims{RegisteredClaims: good.RegisteredClaims, Roles: strings.Join(id.roles, " ")}
	if c.Roles == "" {
		c.Roles = "admin"
	}
	tok, err := key.Sign(c)
	return minted{value: tok, subject: id.subject}, err
}

// mintJWTRevoked signs a good token and puts its jti on the server's
// denylist until an hour past its expiry.
func mintJWTRevoked(m *minter, id ident) (minted, error) {
	c := m.claims(id, m.cfg.Clock())
	tok, err := m.cfg.keyFor("").Sign(c)
	if err != nil {
		return minted{}, err
	}
	if err := m.cfg.Denylist.Revoke(m.ctx, c.ID, c.ExpiresAt.Add(badOffset)); err != nil {
		return minted{}, fmt.Errorf("denylist jti: %w", err)
	}
	return minted{value: tok, subject: id.subject}, nil
}
