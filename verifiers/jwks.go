package verifiers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/time/rate"
)

// JWKSConfig fetches verification keys from a JWKS URL with keyfunc. The URL
// must be trusted: the key set decides who is let in.
type JWKSConfig struct {
	// URL of the JWK Set.
	URL string
	// Algorithms allowed with keys of this set, at most one per key family
	// (e.g. RS256 and ES256, never RS256 and PS256). A JWK's own "alg" is
	// checked by keyfunc when present; the key type is always checked.
	Algorithms []string
	// RefreshInterval between background refreshes; 0 means 1 hour.
	RefreshInterval time.Duration
	// UnknownKIDInterval is the minimum time between refreshes triggered by an
	// unknown kid; 0 means 30 s. A flood of unknown kids causes at most one
	// fetch per interval.
	UnknownKIDInterval time.Duration
	// UnknownKIDWait bounds how long one verification may wait for such a
	// refresh, fetch included; 0 means 500 ms. Other verifications of unknown
	// kids within the interval fail at once with ReasonUnknownKey.
	UnknownKIDWait time.Duration
	// HTTPTimeout bounds background refreshes and the first fetch; 0 means 5 s.
	HTTPTimeout time.Duration
	// MaxResponseBytes caps a JWKS response body; 0 means 1 MiB.
	MaxResponseBytes int64
	// Client makes the requests; nil means a new http.Client.
	Client *http.Client
	// OnRefreshError, when set, is told of failed refreshes (for a health
	// check); the package itself never logs.
	OnRefreshError func(error)
}

// jwksKeys is a keySource backed by keyfunc over a jwkset HTTP storage whose
// local store bumps generations when a refresh changes the key set.
type jwksKeys struct {
	kf     keyfunc.Keyfunc
	algs   []string
	gens   Generations
	cancel context.CancelFunc
}

func newJWKSKeys(cfg JWKSConfig) (*jwksKeys, error) {
	if err := checkJWKSConfig(cfg); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	j := &jwksKeys{algs: append([]string(nil), cfg.Algorithms...), cancel: cancel}
	kf, err := j.build(ctx, cfg)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("verifiers: JWKS: %w", err)
	}
	j.kf = kf
	return j, nil
}

func checkJWKSConfig(cfg JWKSConfig) error {
	if cfg.URL == "" || len(cfg.Algorithms) == 0 {
		return fmt.Errorf("%w: JWKS needs URL and Algorithms", ErrConfig)
	}
	kinds := map[keyKind]bool{}
	for _, alg := range cfg.Algorithms {
		info, err := lookupAlg(alg)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrConfig, err)
		}
		if kinds[info.kind] {
			return fmt.Errorf("%w: two JWKS algorithms of one key family", ErrConfig)
		}
		kinds[info.kind] = true
	}
	return nil
}

// build assembles what keyfunc.NewDefaultOverrideCtx would, with our own local
// storage (to observe refreshes) and bounds.
func (j *jwksKeys) build(ctx context.Context, cfg JWKSConfig) (keyfunc.Keyfunc, error) {
	local := &trackedStorage{Storage: jwkset.NewMemoryStorage(), gens: &j.gens}
	remote, err := jwkset.NewStorageFromHTTP(cfg.URL, jwkset.HTTPClientStorageOptions{
		Client:                    jwksClient(cfg),
		Ctx:                       ctx,
		HTTPTimeout:               orDefault(cfg.HTTPTimeout, 5*time.Second),
		NoErrorReturnFirstHTTPReq: true,
		RefreshErrorHandler: func(_ context.Context, err error) {
			if cfg.OnRefreshError != nil {
				cfg.OnRefreshError(err)
			}
		},
		RefreshInterval: orDefault(cfg.RefreshInterval, time.Hour),
		Storage:         local,
	})
	if err != nil {
		return nil, err
	}
	interval := orDefault(cfg.UnknownKIDInterval, 30*time.Second)
	client, err := jwkset.NewHTTPClient(jwkset.HTTPClientOptions{
		HTTPURLs:          map[string]jwkset.Storage{cfg.URL: remote},
		RateLimitWaitMax:  orDefault(cfg.UnknownKIDWait, 500*time.Millisecond),
		RefreshUnknownKID: rate.NewLimiter(rate.Every(interval), 1),
	})
	if err != nil {
		return nil, err
	}
	return keyfunc.New(keyfunc.Options{
		Ctx:          ctx,
		Storage:      client,
		UseWhitelist: []jwkset.USE{jwkset.UseSig, ""},
	})
}

func jwksClient(cfg JWKSConfig) *http.Client {
	client := &http.Client{}
	if cfg.Client != nil {
		c := *cfg.Client
		client = &c
	}
	limit := cfg.MaxResponseBytes
	if limit <= 0 {
		limit = 1 << 20
	}
	client.Transport = limitedTransport{next: client.Transport, limit: limit}
	return client
}

// trackedStorage bumps generations when a refresh replaces the key set with
// a different one: Revoked when a key disappeared, Granted when one appeared.
type trackedStorage struct {
	jwkset.Storage
	gens *Generations
}

func (t *trackedStorage) KeyReplaceAll(ctx context.Context, given []jwkset.JWK) error {
	before, err := t.KeyReadAll(ctx)
	if err != nil {
		return err
	}
	if err := t.Storage.KeyReplaceAll(ctx, given); err != nil {
		return err
	}
	old, cur := jwkIdentities(before), jwkIdentities(given)
	if !subset(old, cur) {
		t.gens.BumpRevoked()
	}
	if !subset(cur, old) {
		t.gens.BumpGranted()
	}
	return nil
}

// jwkIdentities names each key by its public JSON form (kid, alg and key).
func jwkIdentities(keys []jwkset.JWK) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		pub := k.Marshal()
		pub.D, pub.DP, pub.DQ, pub.P, pub.Q, pub.QI, pub.K = "", "", "", "", "", "", hashSecret(pub.K)
		raw, _ := json.Marshal(pub)
		m[string(raw)] = true
	}
	return m
}

func hashSecret(k string) string {
	if k == "" {
		return ""
	}
	return Fingerprint(k)
}

func subset(a, b map[string]bool) bool {
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func (j *jwksKeys) lookup(ctx context.Context, kid string, hasKID bool, alg string) (any, error) {
	if !hasKID {
		// keyfunc would return every key of the set and the parser would try
		// each (CASES B-17): a kid is required instead.
		return nil, fmt.Errorf("%w: kid required with a JWKS", ReasonUnknownKey)
	}
	token := &jwt.Token{Header: map[string]any{HeaderAlg: alg, HeaderKID: kid}}
	key, err := j.kf.KeyfuncCtx(ctx)(token)
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return nil, fmt.Errorf("%w: JWKS lookup: %w", ReasonUnavailable, ctx.Err())
	case errors.Is(err, jwkset.ErrKeyNotFound):
		return nil, fmt.Errorf("%w: no key with this kid", ReasonUnknownKey)
	default:
		return nil, fmt.Errorf("%w: key not acceptable", ReasonUnknownKey)
	}
	if err := checkPublicKey(alg, key); err != nil {
		return nil, fmt.Errorf("%w: key type does not fit the algorithm", ReasonBadAlgorithm)
	}
	return key, nil
}

func (j *jwksKeys) algorithms() []string { return j.algs }

func (j *jwksKeys) close() { j.cancel() }

// Generations returns the key set's change counters.
func (j *jwksKeys) Generations() GenerationSource { return &j.gens }

// limitedTransport fails a response whose body exceeds limit bytes: keyfunc
// decodes JWKS bodies without a bound.
type limitedTransport struct {
	next  http.RoundTripper
	limit int64
}

func (t limitedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	next := t.next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &limitedBody{ReadCloser: resp.Body, left: t.limit}
	return resp, nil
}

var errBodyTooLarge = errors.New("verifiers: JWKS response too large")

type limitedBody struct {
	io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var probe [1]byte
		if n, err := b.ReadCloser.Read(probe[:]); n == 0 && err == io.EOF {
			return 0, io.EOF
		}
		return 0, errBodyTooLarge
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}
