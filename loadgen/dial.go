package loadgen

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// DefaultPath is the Engine.IO path when neither the options nor the URL
// name one.
const DefaultPath = "/socket.io/"

// Defaults of DialOptions.
const (
	defaultReadLimit  = 1 << 20
	defaultReadBuffer = 1024
	defaultWriteBuf   = 1024
)

// DialOptions configure a Dialer. The zero value is usable; nil options mean
// the zero value. Options are copied: the caller's value is never changed.
type DialOptions struct {
	// Path is the Engine.IO path; default: the target URL's path if it has
	// one, else DefaultPath.
	Path string
	// TLS configures wss:// and https:// targets (CA pool, or
	// InsecureSkipVerify when the user asked for it explicitly). It is cloned.
	TLS *tls.Config
	// ReadLimit caps one websocket frame or polling response, in bytes;
	// default 1 MiB. A larger frame ends the session with ErrTooLarge.
	ReadLimit int64
	// ReadBufferSize and WriteBufferSize size the per-socket read buffer and
	// the pooled write buffers; defaults 1 KiB each. Small buffers keep held
	// sockets cheap; larger frames are still read and written whole.
	ReadBufferSize, WriteBufferSize int
	// Now is the monotonic clock phases are timed with; default time.Now.
	Now func() time.Time
}

// Dialer opens Engine.IO sessions to one target. It is safe for concurrent
// use; build one per target and reuse it, so buffers are pooled.
type Dialer struct {
	base      *url.URL // http or https, with the Engine.IO path
	wsURL     string   // the websocket-first URL of a handshake without a query
	secure    bool
	tls       *tls.Config
	ws        websocket.Dialer
	readLimit int64
	now       func() time.Time
}

// NewDialer returns a Dialer for target, an http://, https://, ws:// or
// wss:// URL of the server (its path, if any, is the Engine.IO path).
func NewDialer(target string, opts *DialOptions) (*Dialer, error) {
	var o DialOptions
	if opts != nil {
		o = *opts
	}
	base, secure, err := parseTarget(target, o.Path)
	if err != nil {
		return nil, err
	}
	d := &Dialer{base: base, secure: secure, readLimit: o.ReadLimit, now: o.Now}
	if d.readLimit <= 0 {
		d.readLimit = defaultReadLimit
	}
	if d.now == nil {
		d.now = time.Now
	}
	d.tls = tlsConfig(o.TLS, base.Hostname())
	d.wsURL = d.url(&Handshake{}, "websocket", "").String()
	d.ws = websocket.Dialer{
		NetDialContext:    d.dialTCP,
		NetDialTLSContext: d.dialTLS,
		ReadBufferSize:    orDefault(o.ReadBufferSize, defaultReadBuffer),
		WriteBufferSize:   orDefault(o.WriteBufferSize, defaultWriteBuf),
		WriteBufferPool:   &writePool,
	}
	return d, nil
}

// Dial opens one Engine.IO session as hs describes, on the source address
// local (the zero Addr lets the system choose). It returns when the session
// is open (after the upgrade, for PollingUpgrade), with the phases so far in
// Conn.Timings. It does not connect any namespace. ctx bounds the whole
// dial; its deadline becomes the connection's I/O deadline.
func (d *Dialer) Dial(ctx context.Context, hs *Handshake, local netip.Addr) (*Conn, error) {
	c, _, err := d.dial(ctx, hs, local)
	return c, err
}

// dial is Dial that also returns the phases reached when it fails (an HTTP
// refusal still has its dial and upgrade times).
func (d *Dialer) dial(ctx context.Context, hs *Handshake, local netip.Addr) (*Conn, Timings, error) {
	tr := &dialTrace{local: local}
	ctx = context.WithValue(ctx, traceKey{}, tr)
	var c *Conn
	var err error
	switch hs.Transport {
	case WebSocket:
		c, err = d.dialWebSocket(ctx, hs, tr)
	case PollingUpgrade:
		c, err = d.dialPolling(ctx, hs, tr)
	default:
		err = fmt.Errorf("%w: unknown transport %d", ErrPlan, hs.Transport)
	}
	if c != nil {
		return c, c.timings, nil
	}
	return nil, tr.timings, err
}

// Dial is a one-off NewDialer(target, opts).Dial(ctx, hs, netip.Addr{}).
func Dial(ctx context.Context, target string, hs *Handshake, opts *DialOptions) (*Conn, error) {
	d, err := NewDialer(target, opts)
	if err != nil {
		return nil, err
	}
	return d.Dial(ctx, hs, netip.Addr{})
}

func (d *Dialer) dialWebSocket(ctx context.Context, hs *Handshake, tr *dialTrace) (*Conn, error) {
	start := d.now()
	target := d.wsURL
	if len(hs.Query) > 0 {
		target = d.url(hs, "websocket", "").String()
	}
	ws, resp, err := d.ws.DialContext(ctx, target, hs.Header)
	if err == nil || resp != nil {
		tr.timings.Upgrade = d.now().Sub(start) - tr.timings.Dial - tr.timings.TLS
	}
	if err != nil {
		return nil, upgradeError(ctx, resp, err)
	}
	c := d.newConn(ws, tr.timings)
	if err := c.readOpen(ctx); err != nil {
		ws.Close()
		return nil, err
	}
	return c, nil
}

// url is the Engine.IO URL for transport; sid is set on requests of an
// existing session.
func (d *Dialer) url(hs *Handshake, transport, sid string) *url.URL {
	u := *d.base
	if transport == "websocket" {
		u.Scheme = "ws"
		if d.secure {
			u.Scheme = "wss"
		}
	}
	var q strings.Builder
	q.WriteString("EIO=4&transport=")
	q.WriteString(transport)
	if sid != "" {
		q.WriteString("&sid=")
		q.WriteString(url.QueryEscape(sid))
	}
	if len(hs.Query) > 0 {
		q.WriteByte('&')
		q.WriteString(hs.Query.Encode())
	}
	u.RawQuery = q.String()
	return &u
}

// upgradeError maps a failed websocket dial to the package's errors.
func upgradeError(ctx context.Context, resp *http.Response, err error) error {
	if derr := deadlineError(ctx, err); derr != nil {
		return fmt.Errorf("websocket upgrade: %w", derr)
	}
	switch {
	case errors.Is(err, websocket.ErrBadHandshake) && resp != nil &&
		resp.StatusCode != http.StatusSwitchingProtocols:
		return httpError(resp)
	case errors.Is(err, websocket.ErrBadHandshake):
		return fmt.Errorf("%w: websocket upgrade: %w", ErrProtocol, err)
	case errors.Is(err, ErrDial), errors.Is(err, ErrTLS), isTimeout(err):
		return err
	}
	return fmt.Errorf("websocket upgrade: %w", ioError(err))
}

// httpError reads up to 256 bytes of resp's body into an *HTTPError.
func httpError(resp *http.Response) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
	return &HTTPError{Status: resp.StatusCode, Body: string(body)}
}

func parseTarget(target, path string) (*url.URL, bool, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, false, fmt.Errorf("%w: target %q: %w", ErrPlan, target, err)
	}
	var secure bool
	switch u.Scheme {
	case "http", "ws":
	case "https", "wss":
		secure = true
	default:
		return nil, false, fmt.Errorf("%w: target %q: scheme must be http, https, ws or wss",
			ErrPlan, target)
	}
	u.Scheme = map[bool]string{false: "http", true: "https"}[secure]
	switch {
	case path != "":
		u.Path = path
	case u.Path == "" || u.Path == "/":
		u.Path = DefaultPath
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawQuery, u.Fragment = "", ""
	return u, secure, nil
}

func tlsConfig(cfg *tls.Config, host string) *tls.Config {
	var c *tls.Config
	if cfg == nil {
		c = &tls.Config{}
	} else {
		c = cfg.Clone()
	}
	if c.ServerName == "" {
		c.ServerName = host
	}
	c.NextProtos = []string{"http/1.1"}
	return c
}

func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}
