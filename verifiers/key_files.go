package verifiers

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/MicahParks/jwkset"
)

// maxKeyFileSize bounds what the key loaders read: key files are small, and a
// misconfigured path (a log file, /dev/zero) must not exhaust memory.
const maxKeyFileSize = 1 << 20

// ErrNoKey is returned when a key file holds no usable key.
var ErrNoKey = errors.New("verifiers: no key found")

// LoadSigningKeyFile reads a private key for signing. The file is either PEM
// (PKCS#8, PKCS#1 RSA or SEC 1 EC private key) or a JWK with private
// parameters (its "alg" and "kid" are used). For HS256/384/512 a file that is
// neither is taken as the raw secret, without a trailing newline. alg may be
// empty for asymmetric keys (inferred: RSA → RS256); it must agree with a
// JWK's "alg" when both are set.
func LoadSigningKeyFile(path, alg string) (*SigningKey, error) {
	raw, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	if isJSON(raw) {
		return signingKeyFromJWK(raw, alg)
	}
	if block, _ := pem.Decode(raw); block != nil {
		key, err := parsePrivatePEM(block)
		if err != nil {
			return nil, fmt.Errorf("verifiers: %s: %w", path, err)
		}
		return NewSigningKey(alg, "", key)
	}
	if info, err := lookupAlg(alg); err == nil && info.kind == kindHMAC {
		return NewHMACKey(alg, "", bytes.TrimRight(raw, "\r\n"))
	}
	return nil, fmt.Errorf("%w in %s", ErrNoKey, path)
}

// LoadVerificationKeyFile reads verification keys: PEM public keys, RSA public
// keys, certificates or private keys (their public half), one or several
// blocks; a JWK; or a JWK Set ({"keys":[…]}). alg applies to keys that do not
// name their own; for HS* a file that is neither PEM nor JSON is the raw
// secret.
func LoadVerificationKeyFile(path, alg string) ([]VerificationKey, error) {
	raw, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	if isJSON(raw) {
		return verificationKeysFromJSON(raw, alg)
	}
	if keys, err := verificationKeysFromPEM(raw, alg); err != nil || len(keys) > 0 {
		return keys, err
	}
	if info, err := lookupAlg(alg); err == nil && info.kind == kindHMAC {
		k, err := NewHMACKey(alg, "", bytes.TrimRight(raw, "\r\n"))
		if err != nil {
			return nil, err
		}
		return []VerificationKey{k.VerificationKey()}, nil
	}
	return nil, fmt.Errorf("%w in %s", ErrNoKey, path)
}

func readKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("verifiers: %w", err)
	}
	defer f.Close()

	raw, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("verifiers: %w", err)
	}
	if len(raw) > maxKeyFileSize {
		return nil, fmt.Errorf("verifiers: %s is larger than %d bytes", path, maxKeyFileSize)
	}
	return raw, nil
}

func isJSON(raw []byte) bool {
	trimmed := bytes.TrimSpace(raw)
	return len(trimmed) > 0 && trimmed[0] == '{'
}

func parsePrivatePEM(block *pem.Block) (any, error) {
	switch block.Type {
	case "PRIVATE KEY":
		return x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		return x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		return x509.ParseECPrivateKey(block.Bytes)
	}
	return nil, fmt.Errorf("%w: PEM block %q is not a private key", ErrNoKey, block.Type)
}

func parsePublicPEM(block *pem.Block) (any, error) {
	switch block.Type {
	case "PUBLIC KEY":
		return x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		return x509.ParsePKCS1PublicKey(block.Bytes)
	case "CERTIFICATE":
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		return cert.PublicKey, nil
	}
	key, err := parsePrivatePEM(block)
	if err != nil {
		return nil, err
	}
	if signer, ok := key.(crypto.Signer); ok {
		return signer.Public(), nil
	}
	return nil, fmt.Errorf("%w: PEM block %q", ErrNoKey, block.Type)
}

func verificationKeysFromPEM(raw []byte, alg string) ([]VerificationKey, error) {
	var keys []VerificationKey
	for block, rest := pem.Decode(raw); block != nil; block, rest = pem.Decode(rest) {
		pub, err := parsePublicPEM(block)
		if err != nil {
			return nil, err
		}
		vk, err := newVerificationKey(alg, "", pub)
		if err != nil {
			return nil, err
		}
		keys = append(keys, vk)
	}
	return keys, nil
}

func newVerificationKey(alg, kid string, pub any) (VerificationKey, error) {
	if alg == "" {
		var err error
		if alg, err = inferAlg(pub); err != nil {
			return VerificationKey{}, err
		}
	}
	if err := checkPublicKey(alg, pub); err != nil {
		return VerificationKey{}, err
	}
	if kid == "" {
		kid = deriveKID(pub)
	}
	if !validKID(kid) {
		return VerificationKey{}, fmt.Errorf("%w: invalid kid", ErrBadKey)
	}
	return VerificationKey{KID: kid, Alg: alg, Key: pub}, nil
}

func parseJWK(raw []byte) (jwkset.JWK, error) {
	jwk, err := jwkset.NewJWKFromRawJSON(raw, jwkset.JWKMarshalOptions{Private: true},
		jwkset.JWKValidateOptions{})
	if err != nil {
		return jwkset.JWK{}, fmt.Errorf("verifiers: parse JWK: %w", err)
	}
	return jwk, nil
}

// jwkAlg merges a JWK's own "alg" with the caller's; they must agree.
func jwkAlg(jwk jwkset.JWK, alg string) (string, error) {
	own := jwk.Marshal().ALG.String()
	if own != "" && alg != "" && own != alg {
		return "", fmt.Errorf("%w: JWK alg %q, wanted %q", ErrBadKey, own, alg)
	}
	if own != "" {
		return own, nil
	}
	return alg, nil
}

func signingKeyFromJWK(raw []byte, alg string) (*SigningKey, error) {
	jwk, err := parseJWK(raw)
	if err != nil {
		return nil, err
	}
	if alg, err = jwkAlg(jwk, alg); err != nil {
		return nil, err
	}
	return NewSigningKey(alg, jwk.Marshal().KID, jwk.Key())
}

func verificationKeysFromJSON(raw []byte, alg string) ([]VerificationKey, error) {
	var set jwkset.JWKSMarshal
	if err := json.Unmarshal(raw, &set); err == nil && set.Keys != nil {
		jwks, err := set.JWKSlice()
		if err != nil {
			return nil, fmt.Errorf("verifiers: parse JWK set: %w", err)
		}
		return verificationKeysFromJWKs(jwks, alg)
	}
	jwk, err := parseJWK(raw)
	if err != nil {
		return nil, err
	}
	return verificationKeysFromJWKs([]jwkset.JWK{jwk}, alg)
}

func verificationKeysFromJWKs(jwks []jwkset.JWK, alg string) ([]VerificationKey, error) {
	keys := make([]VerificationKey, 0, len(jwks))
	for _, jwk := range jwks {
		a, err := jwkAlg(jwk, alg)
		if err != nil {
			return nil, err
		}
		pub := jwk.Key()
		if signer, ok := pub.(crypto.Signer); ok {
			pub = signer.Public()
		}
		vk, err := newVerificationKey(a, jwk.Marshal().KID, pub)
		if err != nil {
			return nil, err
		}
		keys = append(keys, vk)
	}
	if len(keys) == 0 {
		return nil, ErrNoKey
	}
	return keys, nil
}
