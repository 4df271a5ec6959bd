package creds

import (
	"fmt"
	"runtime"
	"time"

	"github.com/gatecrash/gatecrash/verifiers"
)

// Defaults Config fills in.
const (
	DefaultTTL           = time.Hour
	DefaultAPIKeyEnv     = "live"
	DefaultOversizeBytes = 16 << 10
	// badOffset is how far in the past (expired) or future (not yet valid)
	// the bad kinds put their times: beyond any leeway the verifiers accept
	// (at most 5 minutes). A run longer than this sees jwt-not-yet-valid
	// become valid.
	badOffset = time.Hour
)

// Config is the material credentials are minted from. Embedded mode sets
// KeyStore, Sessions and Denylist (the reference server's own stores);
// external mode sets Records instead. JWTs are signed with Keys in both.
type Config struct {
	// Keys sign JWTs: the valid per-algorithm kinds use the key of their
	// algorithm, every other JWT kind uses Keys[0].
	Keys []*verifiers.SigningKey
	// Issuer and Audience go in every JWT (the bad kinds change one of
	// them on purpose).
	Issuer, Audience string
	// TTL is the lifetime of valid JWTs, API keys and sessions (default 1 h).
	// A run longer than TTL sees its valid credentials expire.
	TTL time.Duration
	// APIKeyEnv is the environment of minted API keys (default "live"); it
	// must be the one the API key verifier accepts.
	APIKeyEnv string
	// KeyStore receives the API keys minted in embedded mode.
	KeyStore verifiers.KeyStore
	// Sessions receives the sessions minted in embedded mode.
	Sessions verifiers.SessionStore
	// Denylist receives the jti of jwt-revoked tokens (embedded mode): the
	// server's own denylist (MemoryDenylist.Revoker), or the RedisDenylist
	// every server sharing that Redis reads.
	Denylist verifiers.JTIRevoker
	// Records holds the API keys and sessions of external mode.
	Records *Records
	// SessionCookie is the name of the session cookie (default "sid").
	SessionCookie string
	// OversizeBytes is the length of jwt-oversize tokens (default 16 KiB);
	// it must exceed the target's cap.
	OversizeBytes int
	// Workers bounds the goroutines that mint (default GOMAXPROCS).
	Workers int
	// Clock gives the time tokens are issued at; nil means time.Now.
	Clock func() time.Time
}

// withDefaults validates cfg and returns a copy with defaults filled in.
func (cfg Config) withDefaults() (Config, error) {
	for i, k := range cfg.Keys {
		if k == nil {
			return cfg, fmt.Errorf("%w: Keys[%d] is nil", ErrNoMaterial, i)
		}
	}
	if cfg.TTL < 0 || cfg.OversizeBytes < 0 || cfg.Workers < 0 {
		return cfg, fmt.Errorf("%w: negative TTL, OversizeBytes or Workers", ErrPlan)
	}
	cfg.Keys = append([]*verifiers.SigningKey(nil), cfg.Keys...)
	if cfg.TTL == 0 {
		cfg.TTL = DefaultTTL
	}
	if cfg.APIKeyEnv == "" {
		cfg.APIKeyEnv = DefaultAPIKeyEnv
	}
	if cfg.SessionCookie == "" {
		cfg.SessionCookie = DefaultSessionCookie
	}
	if cfg.OversizeBytes == 0 {
		cfg.OversizeBytes = DefaultOversizeBytes
	}
	if cfg.Workers == 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	return cfg, nil
}

// keyFor returns the signing key for alg, or Keys[0] when alg is empty.
func (cfg Config) keyFor(alg string) *verifiers.SigningKey {
	for _, k := range cfg.Keys {
		if alg == "" || k.Alg() == alg {
			return k
		}
	}
	return nil
}

// check reports whether k can be minted from cfg, with an error naming the
// kind and what it lacks.
func (cfg Config) check(k Kind, roles []string) error {
	switch k.need {
	case needJWTKey:
		if cfg.keyFor(k.Alg) == nil {
			return fmt.Errorf("%w: kind %s needs a JWT signing key%s", ErrNoMaterial, k.Name, forAlg(k.Alg))
		}
		if cfg.Issuer == "" || cfg.Audience == "" {
			return fmt.Errorf("%w: kind %s needs an issuer and an audience", ErrNoMaterial, k.Name)
		}
	case needAPIKeys:
		if cfg.KeyStore == nil && len(cfg.Records.match(k, roles)) == 0 {
			return fmt.Errorf("%w: kind %s needs an API key store (embedded) or %s records with roles %q",
				ErrNoMaterial, k.Name, statusFor(k), roles)
		}
	case needSessions:
		if cfg.Sessions == nil && len(cfg.Records.match(k, roles)) == 0 {
			return fmt.Errorf("%w: kind %s needs a session store (embedded) or %s records with roles %q",
				ErrNoMaterial, k.Name, statusFor(k), roles)
		}
	case needDenylist:
		if cfg.Denylist == nil || cfg.keyFor("") == nil {
			return fmt.Errorf("%w: kind %s needs a JWT signing key and the server's denylist (embedded)",
				ErrNoMaterial, k.Name)
		}
	}
	return nil
}

func forAlg(alg string) string {
	if alg == "" {
		return ""
	}
	return " for " + alg
}
