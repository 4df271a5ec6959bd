package verifiers

import (
	"context"
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

// jwksKeys is a keySource backed by keyfunc.
type jwksKeys struct {
	kf     keyfunc.Keyfunc
	algs   []string
	cancel context.CancelFunc
}

func newJWKSKeys(cfg JWKSConfig) (*jwksKeys, error) {
	if cfg.URL == "" || len(cfg.Algorithms) == 0 {
		return nil, fmt.Errorf("%w: JWKS needs URL and Algorithms", ErrConfig)
	}
	kinds := map[keyKind]bool{}
	for _, alg := range cfg.Algorithms {
		info, err := lookupAlg(alg)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
		if kinds[info.kind] {
			return nil, fmt.Errorf("%w: two JWKS algorithms of one key family", ErrConfig)
		}
		kinds[info.kind] = true
	}
	ctx, cancel := context.WithCancel(context.Background())
	kf, err := keyfunc.NewDefaultOverrideCtx(ctx, []string{cfg.URL}, jwksOverride(cfg))
	if err != nil {
		cancel()
		return nil, fmt.Errorf("verifiers: JWKS: %w", err)
	}
	return &jwksKeys{kf: kf, algs: append([]string(nil), cfg.Algorithms...), cancel: cancel}, nil
}

func jwksOverride(cfg JWKSConfig) keyfunc.Override {
	interval := orDefault(cfg.UnknownKIDInterval, 30*time.Second)
	client := &http.Client{}
	if cfg.Client != nil {
		c := *cfg.Client
		client = &c
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = 1 << 20
	}
	client.Transport = limitedTransport{
		next:  client.Transport,
		limit: cfg.MaxResponseBytes,
	}
	onErr := func(string) func(context.Context, error) {
		return func(_ context.Context, err error) {
			if cfg.OnRefreshError != nil {
				cfg.OnRefreshError(err)
			}
		}
	}
	return keyfunc.Override{
		Client:                  client,
		HTTPTimeout:             orDefault(cfg.HTTPTimeout, 5*time.Second),
		RateLimitWaitMax:        orDefault(cfg.UnknownKIDWait, 500*time.Millisecond),
		RefreshErrorHandlerFunc: onErr,
		RefreshInterval:         orDefault(cfg.RefreshInterval, time.Hour),
		RefreshUnknownKID:       rate.NewLimiter(rate.Every(interval), 1),
	}
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
