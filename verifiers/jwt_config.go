package verifiers

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// DefaultMaxTokenLength is the JWT length cap when JWTConfig leaves it zero.
const DefaultMaxTokenLength = 8 << 10

// maxLeeway bounds JWTConfig.Leeway: more clock skew than this is a
// misconfiguration, not tolerance.
const maxLeeway = 5 * time.Minute

// ErrConfig is wrapped by every configuration error of this package.
var ErrConfig = errors.New("verifiers: invalid configuration")

// JWTConfig configures a JWT verifier. Exactly one of Keys and JWKS is set.
type JWTConfig struct {
	// Keys is a static key set. Each key has one algorithm. With more than one
	// key every token must carry a "kid".
	Keys []VerificationKey
	// JWKS fetches keys from a JWKS URL instead.
	JWKS *JWKSConfig
	// Issuer is the required, exact "iss".
	Issuer string
	// Audiences are accepted "aud" values; a token must name at least one.
	Audiences []string
	// Leeway is added to exp, nbf and iat comparisons (0 to 5 minutes).
	Leeway time.Duration
	// MaxLifetime, when positive, rejects tokens whose exp - iat exceeds it.
	MaxLifetime time.Duration
	// MaxTokenLength caps the token before any parsing; 0 means
	// DefaultMaxTokenLength.
	MaxTokenLength int
	// RequireJTI rejects tokens without "jti". Implied by Denylist.
	RequireJTI bool
	// Denylist, when set, rejects tokens whose jti it lists.
	Denylist Denylist
	// Types are the accepted "typ" header values, compared case-insensitively;
	// nil accepts an absent typ, "JWT" and "at+jwt".
	Types []string
	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
}

var defaultTypes = []string{"", "jwt", "at+jwt", "application/at+jwt"}

// withDefaults validates cfg and returns a copy with defaults filled in; the
// caller's value is never modified.
func (cfg JWTConfig) withDefaults() (JWTConfig, error) {
	if (len(cfg.Keys) == 0) == (cfg.JWKS == nil) {
		return cfg, fmt.Errorf("%w: set exactly one of Keys and JWKS", ErrConfig)
	}
	if cfg.Issuer == "" || len(cfg.Audiences) == 0 {
		return cfg, fmt.Errorf("%w: Issuer and Audiences are required", ErrConfig)
	}
	if cfg.Leeway < 0 || cfg.Leeway > maxLeeway {
		return cfg, fmt.Errorf("%w: Leeway must be within 0..%s", ErrConfig, maxLeeway)
	}
	if cfg.MaxTokenLength < 0 || cfg.MaxLifetime < 0 {
		return cfg, fmt.Errorf("%w: negative MaxTokenLength or MaxLifetime", ErrConfig)
	}
	if cfg.MaxTokenLength == 0 {
		cfg.MaxTokenLength = DefaultMaxTokenLength
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	cfg.RequireJTI = cfg.RequireJTI || cfg.Denylist != nil
	cfg.Audiences = append([]string(nil), cfg.Audiences...)
	types := defaultTypes
	if cfg.Types != nil {
		types = make([]string, len(cfg.Types))
		for i, t := range cfg.Types {
			types[i] = strings.ToLower(t)
		}
	}
	cfg.Types = types
	return cfg, nil
}
