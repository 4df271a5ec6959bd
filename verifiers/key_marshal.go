package verifiers

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"

	"github.com/MicahParks/jwkset"
)

// MarshalPEM returns the private key as a PKCS#8 PEM block. HMAC secrets have
// no PEM form; use MarshalJWK.
func (k *SigningKey) MarshalPEM() ([]byte, error) {
	if _, ok := k.key.([]byte); ok {
		return nil, fmt.Errorf("%w: an HMAC secret has no PEM form", ErrBadKey)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k.key)
	if err != nil {
		return nil, fmt.Errorf("verifiers: marshal private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// MarshalJWK returns the key as a JWK including its private parameters (or
// secret), with "alg", "kid" and "use": "sig".
func (k *SigningKey) MarshalJWK() ([]byte, error) {
	return marshalJWK(k.key, k.alg, k.kid, true)
}

// MarshalPEM returns an asymmetric verification key as a PKIX "PUBLIC KEY"
// PEM block.
func (v VerificationKey) MarshalPEM() ([]byte, error) {
	if _, ok := v.Key.([]byte); ok {
		return nil, fmt.Errorf("%w: an HMAC secret has no public PEM form", ErrBadKey)
	}
	der, err := x509.MarshalPKIXPublicKey(v.Key)
	if err != nil {
		return nil, fmt.Errorf("verifiers: marshal public key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// MarshalJWK returns the verification key as a public JWK with "alg", "kid"
// and "use": "sig". HMAC secrets are refused: they never belong in a
// published key set.
func (v VerificationKey) MarshalJWK() ([]byte, error) {
	if _, ok := v.Key.([]byte); ok {
		return nil, fmt.Errorf("%w: an HMAC secret must not be published", ErrBadKey)
	}
	return marshalJWK(v.Key, v.Alg, v.KID, false)
}

// MarshalJWKSet returns {"keys":[…]} of the public keys, as a JWKS endpoint
// serves it.
func MarshalJWKSet(keys ...VerificationKey) ([]byte, error) {
	set := jwkset.JWKSMarshal{Keys: make([]jwkset.JWKMarshal, 0, len(keys))}
	for _, v := range keys {
		if _, ok := v.Key.([]byte); ok {
			return nil, fmt.Errorf("%w: an HMAC secret must not be published", ErrBadKey)
		}
		jwk, err := newJWK(v.Key, v.Alg, v.KID, false)
		if err != nil {
			return nil, err
		}
		set.Keys = append(set.Keys, jwk.Marshal())
	}
	return json.Marshal(set)
}

func newJWK(key any, alg, kid string, private bool) (jwkset.JWK, error) {
	jwk, err := jwkset.NewJWKFromKey(key, jwkset.JWKOptions{
		Marshal:  jwkset.JWKMarshalOptions{Private: private},
		Metadata: jwkset.JWKMetadataOptions{ALG: jwkset.ALG(alg), KID: kid, USE: jwkset.UseSig},
	})
	if err != nil {
		return jwkset.JWK{}, fmt.Errorf("verifiers: marshal JWK: %w", err)
	}
	return jwk, nil
}

func marshalJWK(key any, alg, kid string, private bool) ([]byte, error) {
	jwk, err := newJWK(key, alg, kid, private)
	if err != nil {
		return nil, err
	}
	return json.Marshal(jwk.Marshal())
}
