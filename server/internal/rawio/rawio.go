// Package rawio is a minimal raw Engine.IO v4 / Socket.IO v5 client for the
// server's tests: it writes exactly the frames a test asks for (including
// malformed ones) over websocket or polling, and reads frames back.
package rawio

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// Transport is how a Conn talks to the server.
type Transport string

// The transports.
const (
	WebSocket Transport = "websocket"
	Polling   Transport = "polling"
)

// ErrClosed is returned when the server closed the session.
var ErrClosed = errors.New("rawio: session closed")

// HTTPError is a handshake refused with an HTTP status.
type HTTPError struct {
	Status int
	Body   string
}

func (e *HTTPError) Error() string { return fmt.Sprintf("rawio: HTTP %d: %s", e.Status, e.Body) }

// Options configure Dial.
type Options struct {
	Transport Transport
	Header    http.Header // sent on the handshake request only
	Query     url.Values  // added to the handshake URL
	// Client is used for polling; nil means a fresh client with a cookie
	// jar (and TLS, when set).
	Client *http.Client
	// TLS configures wss:// and https:// dials.
	TLS *tls.Config
}

// Conn is one Engine.IO session.
type Conn struct {
	base      string // http://host:port/socket.io/
	transport Transport
	sid       string
	ws        *websocket.Conn
	client    *http.Client
	queue     []string
}

// Dial opens an Engine.IO session to base (http://host:port) and reads the
// open packet.
func Dial(ctx context.Context, base string, o Options) (*Conn, error) {
	if o.Transport == "" {
		o.Transport = WebSocket
	}
	c := &Conn{base: strings.TrimRight(base, "/") + "/socket.io/", transport: o.Transport, client: o.Client}
	if c.client == nil {
		jar, _ := cookiejar.New(nil)
		c.client = &http.Client{Jar: jar, Timeout: 10 * time.Second,
			Transport: &http.Transport{TLSClientConfig: o.TLS}}
	}
	q := url.Values{"EIO": {"4"}, "transport": {string(o.Transport)}}
	for k, v := range o.Query {
		q[k] = v
	}
	var err error
	if o.Transport == WebSocket {
		err = c.dialWS(ctx, q, o.Header, o.TLS)
	} else {
		err = c.dialPolling(ctx, q, o.Header)
	}
	if err != nil {
		return nil, err
	}
	open, err := c.Next(ctx)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(open, "0") {
		return nil, fmt.Errorf("rawio: expected open packet, got %q", open)
	}
	c.sid = jsonField(open[1:], "sid")
	return c, nil
}

func (c *Conn) dialWS(ctx context.Context, q url.Values, h http.Header, tc *tls.Config) error {
	u := "ws" + strings.TrimPrefix(c.base, "http") + "?" + q.Encode()
	d := *websocket.DefaultDialer
	d.TLSClientConfig = tc
	ws, resp, err := d.DialContext(ctx, u, h)
	if err != nil {
		if resp != nil {
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			return &HTTPError{Status: resp.StatusCode, Body: string(body)}
		}
		return err
	}
	c.ws = ws
	return nil
}

func (c *Conn) dialPolling(ctx context.Context, q url.Values, h http.Header) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"?"+q.Encode(), nil)
	if err != nil {
		return err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	return c.poll(req)
}

// SID returns the Engine.IO session id.
func (c *Conn) SID() string { return c.sid }

// Client returns the HTTP client of a polling session.
func (c *Conn) Client() *http.Client { return c.client }

// Send writes one Engine.IO packet ("40/admin,{...}" is a message packet "4"
// carrying a Socket.IO CONNECT).
func (c *Conn) Send(ctx context.Context, packet string) error {
	if c.ws != nil {
		if dl, ok := ctx.Deadline(); ok {
			_ = c.ws.SetWriteDeadline(dl)
		}
		return c.ws.WriteMessage(websocket.TextMessage, []byte(packet))
	}
	err := Post(ctx, c.client, c.base, c.sid, packet)
	var he *HTTPError
	if errors.As(err, &he) {
		// 400 (unknown session) or 429 (transport closing): the session is
		// gone.
		return fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return err
}

// Post sends body on polling session sid with client; it is how a test
// impersonates another client.
func Post(ctx context.Context, client *http.Client, base, sid, body string) error {
	return PostWithHeader(ctx, client, base, sid, body, nil)
}

// PostWithHeader is Post with extra request headers (a credential sent only
// on a later request, CASES.md G-01).
func PostWithHeader(ctx context.Context, client *http.Client, base, sid, body string, h http.Header) error {
	u := strings.TrimRight(base, "/")
	if !strings.HasSuffix(u, "/socket.io") {
		u += "/socket.io"
	}
	q := url.Values{"EIO": {"4"}, "transport": {"polling"}, "sid": {sid}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u+"/?"+q.Encode(), strings.NewReader(body))
	if err != nil {
		return err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return &HTTPError{Status: resp.StatusCode, Body: string(b)}
	}
	return nil
}

// Next returns the next Engine.IO packet, answering pings on the way.
func (c *Conn) Next(ctx context.Context) (string, error) {
	for {
		p, err := c.next(ctx)
		if err != nil {
			return "", err
		}
		if p == "2" {
			if err := c.Send(ctx, "3"); err != nil {
				return "", err
			}
			continue
		}
		if p == "1" {
			return "", ErrClosed
		}
		return p, nil
	}
}

func (c *Conn) next(ctx context.Context) (string, error) {
	if c.ws != nil {
		if dl, ok := ctx.Deadline(); ok {
			_ = c.ws.SetReadDeadline(dl)
		}
		_, b, err := c.ws.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				return "", fmt.Errorf("%w: %w", ErrClosed, err)
			}
			return "", err
		}
		return string(b), nil
	}
	for len(c.queue) == 0 {
		q := url.Values{"EIO": {"4"}, "transport": {"polling"}, "sid": {c.sid}}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"?"+q.Encode(), nil)
		if err != nil {
			return "", err
		}
		if err := c.poll(req); err != nil {
			return "", err
		}
	}
	p := c.queue[0]
	c.queue = c.queue[1:]
	return p, nil
}

// poll performs one polling GET and queues its packets.
func (c *Conn) poll(req *http.Request) error {
	resp, err := c.client.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		if c.sid != "" {
			return fmt.Errorf("%w: %w", ErrClosed, &HTTPError{Status: resp.StatusCode, Body: string(b)})
		}
		return &HTTPError{Status: resp.StatusCode, Body: string(b)}
	}
	c.queue = append(c.queue, strings.Split(string(b), "\x1e")...)
	return nil
}

// Close ends the session.
func (c *Conn) Close() {
	if c.ws != nil {
		_ = c.ws.Close()
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = c.Send(ctx, "1")
}

// jsonField extracts a top-level string field without a JSON decoder (the
// open packet is simple and trusted).
func jsonField(s, key string) string {
	i := strings.Index(s, `"`+key+`":"`)
	if i < 0 {
		return ""
	}
	s = s[i+len(key)+4:]
	if j := strings.IndexByte(s, '"'); j >= 0 {
		return s[:j]
	}
	return ""
}
