package verifiers

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"time"
)

// defaultAPIKeyMaxLength caps an API key before parsing; real keys are 78-93
// bytes.
const defaultAPIKeyMaxLength = 256

// APIKeyOptions configures an APIKeyVerifier.
type APIKeyOptions struct {
	// Env is the only key environment accepted, e.g. "live".
	Env string
	// AllowQuery accepts keys from the handshake URL's query string. Off by
	// default: URLs end up in access logs and proxies (CASES D-07).
	AllowQuery bool
	// MaxLength caps the presented value; 0 means 256.
	MaxLength int
	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
}

// APIKeyVerifier verifies gck_ API keys against a KeyStore.
type APIKeyVerifier struct {
	store KeyStore
	opts  APIKeyOptions
}

// NewAPIKeyVerifier returns a verifier of store's keys for opts.Env.
func NewAPIKeyVerifier(store KeyStore, opts APIKeyOptions) (*APIKeyVerifier, error) {
	if store == nil || !validEnv(opts.Env) {
		return nil, fmt.Errorf("%w: API key verifier needs a store and an env", ErrConfig)
	}
	if opts.MaxLength < 0 {
		return nil, fmt.Errorf("%w: negative MaxLength", ErrConfig)
	}
	if opts.MaxLength == 0 {
		opts.MaxLength = defaultAPIKeyMaxLength
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	return &APIKeyVerifier{store: store, opts: opts}, nil
}

// Method returns MethodAPIKey.
func (v *APIKeyVerifier) Method() Method { return MethodAPIKey }

// Generations returns the store's generations when it publishes them.
func (v *APIKeyVerifier) Generations() GenerationSource { return generationsOf(v.store) }

// dummyDigest is compared against when the id is unknown, so an unknown id
// and a wrong secret take the same path (CASES D-06).
var dummyDigest APIKeyDigest

// Verify checks the key's format and environment, looks its id up and
// compares SHA-256 digests in constant time. A wrong secret and an unknown id
// both yield ReasonUnknown.
func (v *APIKeyVerifier) Verify(ctx context.Context, cred Credential) (Identity, error) {
	key := cred.Value
	switch {
	case key == "":
		return Identity{}, fmt.Errorf("apikey: %w", ReasonMissing)
	case len(key) > v.opts.MaxLength:
		return Identity{}, fmt.Errorf("apikey: %w", ReasonTooLarge)
	case cred.Source == SourceQuery && !v.opts.AllowQuery:
		return Identity{}, fmt.Errorf("apikey: %w: keys in the query string are refused", ReasonForbidden)
	}
	parsed, ok := parseAPIKey(key)
	if !ok {
		return Identity{}, fmt.Errorf("apikey: %w", ReasonMalformed)
	}
	if parsed.env != v.opts.Env {
		return Identity{}, fmt.Errorf("apikey: %w: other environment", ReasonUnknown)
	}

	digest := APIKeyDigest(sha256.Sum256([]byte(key)))
	rec, err := v.store.Get(ctx, parsed.id)
	if err != nil {
		return Identity{}, v.lookupError(ctx, digest, err)
	}
	if subtle.ConstantTimeCompare(digest[:], rec.Digest[:]) != 1 || rec.Env != parsed.env {
		return Identity{}, fmt.Errorf("apikey: %w", ReasonUnknown)
	}
	return v.decide(rec)
}

func (v *APIKeyVerifier) lookupError(ctx context.Context, digest APIKeyDigest, err error) error {
	if errors.Is(err, ErrKeyNotFound) {
		subtle.ConstantTimeCompare(digest[:], dummyDigest[:])
		return fmt.Errorf("apikey: %w", ReasonUnknown)
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("apikey: %w: %w", ReasonUnavailable, ctxErr)
	}
	return fmt.Errorf("apikey: %w: store: %w", ReasonUnavailable, err)
}

func (v *APIKeyVerifier) decide(rec APIKeyRecord) (Identity, error) {
	if rec.Revoked {
		return Identity{}, fmt.Errorf("apikey: %w", ReasonRevoked)
	}
	if !rec.Expires.IsZero() && !v.opts.Clock().Before(rec.Expires) {
		return Identity{}, fmt.Errorf("apikey: %w", ReasonExpired)
	}
	return Identity{
		Subject:      rec.Subject,
		Roles:        slices.Clone(rec.Roles),
		Method:       MethodAPIKey,
		Expires:      rec.Expires,
		Namespaces:   slices.Clone(rec.Namespaces),
		CredentialID: rec.ID,
	}, nil
}
