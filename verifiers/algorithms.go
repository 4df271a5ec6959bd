package verifiers

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
)

// The JWS algorithms gatecrash signs and verifies. Anything else, "none"
// included, is refused.
const (
	AlgHS256 = "HS256"
	AlgHS384 = "HS384"
	AlgHS512 = "HS512"
	AlgRS256 = "RS256"
	AlgPS256 = "PS256"
	AlgES256 = "ES256"
	AlgEdDSA = "EdDSA"
)

// ErrBadKey is returned when key material does not fit its algorithm: wrong
// type, too short a secret, too small an RSA modulus, wrong curve.
var ErrBadKey = errors.New("verifiers: key does not fit its algorithm")

// ErrUnsupportedAlgorithm is returned for an algorithm outside the list above.
var ErrUnsupportedAlgorithm = errors.New("verifiers: unsupported algorithm")

// keyKind is the family of key material an algorithm needs. RFC 8725 §3.1:
// one key is used with one algorithm; two algorithms of one kind (RS256 and
// PS256) must never be accepted for the same key.
type keyKind int

const (
	kindHMAC keyKind = iota + 1
	kindRSA
	kindP256
	kindEd25519
)

// minRSABits is the smallest RSA modulus accepted for signing or verifying.
const minRSABits = 2048

type algInfo struct {
	kind      keyKind
	method    jwt.SigningMethod
	minSecret int // HMAC only: RFC 7518 §3.2, at least the hash size
}

var algorithms = map[string]algInfo{
	AlgHS256: {kind: kindHMAC, method: jwt.SigningMethodHS256, minSecret: 32},
	AlgHS384: {kind: kindHMAC, method: jwt.SigningMethodHS384, minSecret: 48},
	AlgHS512: {kind: kindHMAC, method: jwt.SigningMethodHS512, minSecret: 64},
	AlgRS256: {kind: kindRSA, method: jwt.SigningMethodRS256},
	AlgPS256: {kind: kindRSA, method: jwt.SigningMethodPS256},
	AlgES256: {kind: kindP256, method: jwt.SigningMethodES256},
	AlgEdDSA: {kind: kindEd25519, method: jwt.SigningMethodEdDSA},
}

func lookupAlg(alg string) (algInfo, error) {
	info, ok := algorithms[alg]
	if !ok {
		return algInfo{}, fmt.Errorf("%w: %q", ErrUnsupportedAlgorithm, alg)
	}
	return info, nil
}

// checkPublicKey reports whether key is verification material of the kind alg
// needs. It is the guard against algorithm confusion (CASES B-05): a
// verifier never hands an RSA key's bytes to HMAC.
func checkPublicKey(alg string, key any) error {
	info, err := lookupAlg(alg)
	if err != nil {
		return err
	}
	ok := false
	switch k := key.(type) {
	case []byte:
		ok = info.kind == kindHMAC && len(k) >= info.minSecret
	case *rsa.PublicKey:
		ok = info.kind == kindRSA && k.N != nil && k.N.BitLen() >= minRSABits
	case *ecdsa.PublicKey:
		ok = info.kind == kindP256 && k.Curve == elliptic.P256()
	case ed25519.PublicKey:
		ok = info.kind == kindEd25519 && len(k) == ed25519.PublicKeySize
	}
	if !ok {
		return fmt.Errorf("%w: %T for %s", ErrBadKey, key, alg)
	}
	return nil
}

// inferAlg picks the algorithm for an asymmetric key that does not name one:
// RSA → RS256, P-256 → ES256, Ed25519 → EdDSA.
func inferAlg(key any) (string, error) {
	switch k := key.(type) {
	case *rsa.PublicKey, *rsa.PrivateKey:
		return AlgRS256, nil
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P256() {
			return AlgES256, nil
		}
	case *ecdsa.PrivateKey:
		if k.Curve == elliptic.P256() {
			return AlgES256, nil
		}
	case ed25519.PublicKey, ed25519.PrivateKey:
		return AlgEdDSA, nil
	}
	return "", fmt.Errorf("%w: cannot infer an algorithm for %T", ErrBadKey, key)
}
