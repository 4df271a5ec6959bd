package verifiers

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
)

// SigningKey is key material that mints JWTs: a private key or an HMAC
// secret, with the one algorithm it is used with and its key id. The load
// generator and `gatecrash token` use it; the reference server verifies with
// its VerificationKey.
type SigningKey struct {
	alg    string
	kid    string
	key    any // crypto.Signer for asymmetric algorithms, []byte for HMAC
	method jwt.SigningMethod
}

// VerificationKey is what a verifier needs for one key: its id, its one
// algorithm and the public key (*rsa.PublicKey, *ecdsa.PublicKey,
// ed25519.PublicKey) or HMAC secret ([]byte).
type VerificationKey struct {
	KID string
	Alg string
	Key any
}

// GenerateSigningKey makes a fresh key for alg: a 2048-bit RSA key for RS256
// and PS256, a P-256 key for ES256, an Ed25519 key for EdDSA, a random
// secret of the hash size for HS*. Its kid is derived from the public key.
func GenerateSigningKey(alg string) (*SigningKey, error) {
	info, err := lookupAlg(alg)
	if err != nil {
		return nil, err
	}
	var key any
	switch info.kind {
	case kindHMAC:
		secret := make([]byte, info.minSecret)
		_, err = rand.Read(secret)
		key = secret
	case kindRSA:
		key, err = rsa.GenerateKey(rand.Reader, minRSABits)
	case kindP256:
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case kindEd25519:
		_, key, err = ed25519.GenerateKey(rand.Reader)
	}
	if err != nil {
		return nil, fmt.Errorf("verifiers: generate %s key: %w", alg, err)
	}
	return NewSigningKey(alg, "", key)
}

// NewHMACKey returns a signing key for an HMAC algorithm (HS256, HS384,
// HS512). The secret must be at least as long as the hash output; it is
// copied. An empty kid is derived from the secret.
func NewHMACKey(alg, kid string, secret []byte) (*SigningKey, error) {
	info, err := lookupAlg(alg)
	if err != nil {
		return nil, err
	}
	if info.kind != kindHMAC {
		return nil, fmt.Errorf("%w: %s is not an HMAC algorithm", ErrBadKey, alg)
	}
	return NewSigningKey(alg, kid, append([]byte(nil), secret...))
}

// NewSigningKey wraps existing key material: a crypto.Signer (*rsa.PrivateKey,
// *ecdsa.PrivateKey, ed25519.PrivateKey) or an HMAC secret ([]byte, not
// copied). An empty alg is inferred from the key type (RSA → RS256); an empty
// kid is derived from the public key.
func NewSigningKey(alg, kid string, key any) (*SigningKey, error) {
	if alg == "" {
		var err error
		if alg, err = inferAlg(key); err != nil {
			return nil, err
		}
	}
	info, err := lookupAlg(alg)
	if err != nil {
		return nil, err
	}
	pub := key
	if signer, ok := key.(crypto.Signer); ok {
		pub = signer.Public()
	}
	if err := checkPublicKey(alg, pub); err != nil {
		return nil, err
	}
	if kid == "" {
		kid = deriveKID(pub)
	}
	if !validKID(kid) {
		return nil, fmt.Errorf("%w: kid must be 1-%d characters of [A-Za-z0-9._-]", ErrBadKey, maxKIDLength)
	}
	return &SigningKey{alg: alg, kid: kid, key: key, method: info.method}, nil
}

// deriveKID names a key by the first 96 bits of the SHA-256 of its public
// encoding (PKIX DER; for an HMAC secret, the secret with a domain prefix, so
// the kid is not a plain hash of the secret).
func deriveKID(pub any) string {
	var material []byte
	if secret, ok := pub.([]byte); ok {
		material = append([]byte("gatecrash-hmac-kid:"), secret...)
	} else if der, err := x509.MarshalPKIXPublicKey(pub); err == nil {
		material = der
	}
	sum := sha256.Sum256(material)
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

// Alg returns the key's one algorithm.
func (k *SigningKey) Alg() string { return k.alg }

// KID returns the key id that Sign puts in the header.
func (k *SigningKey) KID() string { return k.kid }

// Key returns the private key or HMAC secret. Callers must not modify it.
func (k *SigningKey) Key() any { return k.key }

// VerificationKey returns the public half (for HMAC, the secret itself).
func (k *SigningKey) VerificationKey() VerificationKey {
	pub := k.key
	if signer, ok := k.key.(crypto.Signer); ok {
		pub = signer.Public()
	}
	return VerificationKey{KID: k.kid, Alg: k.alg, Key: pub}
}

// Sign returns a compact JWS of claims with the key's "alg" and "kid" and
// "typ": "JWT" in the header. It signs what it is given: minting an invalid
// token on purpose (expired, wrong audience) is a feature for the harness.
func (k *SigningKey) Sign(claims jwt.Claims) (string, error) {
	token := jwt.NewWithClaims(k.method, claims)
	token.Header[HeaderKID] = k.kid
	s, err := token.SignedString(k.key)
	if err != nil {
		return "", fmt.Errorf("verifiers: sign %s: %w", k.alg, err)
	}
	return s, nil
}
