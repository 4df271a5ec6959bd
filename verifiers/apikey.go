package verifiers

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// API keys look like gck_<env>_<id>_<secret>:
//
//   - "gck" marks a gatecrash key (secret scanners can match it);
//   - env is 1-16 characters of [a-z0-9] ("live", "test"); a verifier accepts
//     one env, so a test key never works on a live server (CASES D-03);
//   - id is 16 characters of lowercase base32 (80 random bits), the lookup
//     key of the store, safe to log;
//   - secret is 52 characters of lowercase base32 (256 random bits).
//
// The store keeps only SHA-256 of the whole key string. The string is never
// normalised (no case folding, no re-encoding), so every other spelling has
// another digest and is unknown (D-04).
const (
	apiKeyPrefix    = "gck"
	apiKeyIDLen     = 16
	apiKeySecretLen = 52
	apiKeyMaxEnvLen = 16
	apiKeyIDBytes   = 10
	apiKeySecBytes  = 32
)

// APIKeyDigest is the SHA-256 of a full API key string.
type APIKeyDigest [sha256.Size]byte

var apiKeyEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// APIKeySpec describes a key to create.
type APIKeySpec struct {
	Env        string
	Subject    string
	Roles      []string
	Namespaces []string  // nil: no restriction beyond the server's policy
	Expires    time.Time // zero: no expiry of its own
}

// APIKeyRecord is what a KeyStore keeps for one key: never the key itself.
type APIKeyRecord struct {
	ID         string
	Env        string
	Digest     APIKeyDigest
	Subject    string
	Roles      []string
	Namespaces []string
	Expires    time.Time
	Revoked    bool
}

// ErrKeyNotFound is returned by a KeyStore for an id it does not hold.
var ErrKeyNotFound = errors.New("verifiers: API key not found")

// ErrKeyExists is returned by KeyStore.Put for an id already held.
var ErrKeyExists = errors.New("verifiers: API key id already exists")

// NewAPIKey generates a key for spec, stores its record and returns the
// plaintext key, which is not kept anywhere: show it to the user once.
func NewAPIKey(ctx context.Context, store KeyStore, spec APIKeySpec) (string, APIKeyRecord, error) {
	if !validEnv(spec.Env) || spec.Subject == "" {
		return "", APIKeyRecord{}, fmt.Errorf("%w: API key needs an env of [a-z0-9]{1,%d} and a subject",
			ErrConfig, apiKeyMaxEnvLen)
	}
	raw := make([]byte, apiKeyIDBytes+apiKeySecBytes)
	_, _ = rand.Read(raw) // crypto/rand does not fail (Go ≥ 1.24)
	id := apiKeyEncoding.EncodeToString(raw[:apiKeyIDBytes])
	secret := apiKeyEncoding.EncodeToString(raw[apiKeyIDBytes:])
	key := strings.Join([]string{apiKeyPrefix, spec.Env, id, secret}, "_")

	rec := APIKeyRecord{
		ID:         id,
		Env:        spec.Env,
		Digest:     sha256.Sum256([]byte(key)),
		Subject:    spec.Subject,
		Roles:      slices.Clone(spec.Roles),
		Namespaces: slices.Clone(spec.Namespaces),
		Expires:    spec.Expires,
	}
	if err := store.Put(ctx, rec); err != nil {
		return "", APIKeyRecord{}, fmt.Errorf("verifiers: store API key: %w", err)
	}
	return key, rec, nil
}

// APIKeyID returns the lookup id of a full API key (its third part), the
// id a KeyStore keeps the key's record under and that is safe to log. A key
// not of the exact format is an error wrapping ReasonMalformed; the id of a
// well-formed key says nothing of whether the key is valid (its secret is
// not checked).
func APIKeyID(key string) (string, error) {
	parsed, ok := parseAPIKey(key)
	if !ok {
		return "", fmt.Errorf("api key: %w: want %s_<env>_<id>_<secret>", ReasonMalformed, apiKeyPrefix)
	}
	return parsed.id, nil
}

// parsedAPIKey is the split form of a syntactically valid key.
type parsedAPIKey struct {
	env, id string
}

// parseAPIKey checks the format strictly: prefix, four parts, alphabets and
// exact lengths.
func parseAPIKey(key string) (parsedAPIKey, bool) {
	parts := strings.Split(key, "_")
	if len(parts) != 4 || parts[0] != apiKeyPrefix || !validEnv(parts[1]) {
		return parsedAPIKey{}, false
	}
	if len(parts[2]) != apiKeyIDLen || len(parts[3]) != apiKeySecretLen {
		return parsedAPIKey{}, false
	}
	if !isBase32Lower(parts[2]) || !isBase32Lower(parts[3]) {
		return parsedAPIKey{}, false
	}
	return parsedAPIKey{env: parts[1], id: parts[2]}, true
}

func validEnv(env string) bool {
	if env == "" || len(env) > apiKeyMaxEnvLen {
		return false
	}
	for i := 0; i < len(env); i++ {
		if c := env[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func isBase32Lower(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}
