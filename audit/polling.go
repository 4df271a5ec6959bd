package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"github.com/gatecrash/gatecrash/internal/wire"
	"github.com/gatecrash/gatecrash/loadgen"
)

// The load generator opens polling sessions only to upgrade them; the audit
// needs whole sessions on polling (CONNECT in a POST body, G-01 headers on a
// later request, G-06 a second client naming the sid). pollSession is that
// client: plain net/http, a cookie jar per session as a browser keeps, and the
// wire codec the generator uses.

// pollReadLimit caps one polling response body.
const pollReadLimit = 1 << 20

// closeWait bounds the close POST of a session.
const closeWait = time.Second

// maxPollPackets bounds the packets read from one polling response.
const maxPollPackets = 64

// pollSession is one Engine.IO session over HTTP long-polling.
type pollSession struct {
	client *http.Client
	// ctx bounds the requests that have no context of their own (send,
	// close): the check's context.
	ctx  context.Context
	base url.URL // http(s)://host/path/, no query
	id   string
	// later is sent on every request after the one that opened the session.
	later http.Header
	queue [][]byte
}

// openPolling sends the GET that opens a polling session, with h and q.
func (e *env) openPolling(ctx context.Context, h http.Header, q url.Values) (*pollSession, error) {
	jar, _ := cookiejar.New(nil) // never fails with nil options
	p := &pollSession{client: &http.Client{Transport: e.http, Jar: jar}, ctx: ctx, base: *e.base}
	u := p.url("", q)
	body, err := p.do(ctx, http.MethodGet, u, h, nil)
	if err != nil {
		return nil, err
	}
	packets, err := wire.SplitPayload(body, maxPollPackets)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", loadgen.ErrProtocol, err)
	}
	open, err := wire.ParseOpen(packets[0])
	if err != nil {
		return nil, fmt.Errorf("%w: %w", loadgen.ErrProtocol, err)
	}
	p.id = open.SID
	p.queue = packets[1:]
	return p, nil
}

// url is the polling URL; sid is empty for the opening request.
func (p *pollSession) url(sid string, q url.Values) string {
	u := p.base
	v := url.Values{"EIO": {"4"}, "transport": {"polling"}}
	if sid != "" {
		v.Set("sid", sid)
	}
	for k, vs := range q {
		v[k] = append(v[k], vs...)
	}
	u.RawQuery = v.Encode()
	return u.String()
}

// do sends one request and returns the body of its 200 answer. Any other
// status is a *loadgen.HTTPError, except 400 on a request of an existing
// session, which is how a polling server says the session is gone: that is
// loadgen.ErrClosed, the polling form of a closed transport.
func (p *pollSession) do(ctx context.Context, method, u string, h http.Header, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	if h != nil {
		req.Header = h.Clone()
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, pollError(ctx, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, pollReadLimit+1))
	switch {
	case resp.StatusCode == http.StatusBadRequest && p.id != "":
		return nil, fmt.Errorf("%w: polling %s answered 400 %q", loadgen.ErrClosed, method, clip(data))
	case resp.StatusCode != http.StatusOK:
		return nil, &loadgen.HTTPError{Status: resp.StatusCode, Body: clip(data)}
	case err != nil:
		return nil, pollError(ctx, err)
	case len(data) > pollReadLimit:
		return nil, fmt.Errorf("%w: polling response over %d bytes", loadgen.ErrTooLarge, pollReadLimit)
	}
	return data, nil
}

// pollError wraps a failed request so loadgen.Classify reads it: the
// context's error when it explains the failure, else a closed transport.
func pollError(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("polling: %w: %w", cerr, err)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("polling: %w: %w", context.DeadlineExceeded, err)
	}
	return fmt.Errorf("%w: polling: %w", loadgen.ErrClosed, err)
}

func (p *pollSession) send(frame []byte) error {
	_, err := p.do(p.ctx, http.MethodPost, p.url(p.id, nil), p.later, frame)
	return err
}

func (p *pollSession) sid() string { return p.id }

func (p *pollSession) close() {
	// Best effort: an Engine.IO close packet ends the session on the server
	// at once instead of at its ping timeout.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(p.ctx), closeWait)
	defer cancel()
	_, _ = p.do(ctx, http.MethodPost, p.url(p.id, nil), p.later, []byte{byte(wire.EIOClose)})
	p.client.CloseIdleConnections()
}

// next returns the next Socket.IO packet, polling for more when none is
// queued. Pings are answered; an Engine.IO close packet is ErrClosed.
func (p *pollSession) next(ctx context.Context) (wire.Packet, error) {
	for range maxPollPackets * 4 {
		if len(p.queue) == 0 {
			if err := p.poll(ctx); err != nil {
				return wire.Packet{}, err
			}
			continue
		}
		frame := p.queue[0]
		p.queue = p.queue[1:]
		if pkt, ok, err := engineFrame(p, frame); ok || err != nil {
			return pkt, err
		}
	}
	return wire.Packet{}, fmt.Errorf("%w: too many packets without a message", loadgen.ErrProtocol)
}

// engineFrame interprets one Engine.IO frame a session s read: a message
// yields its Socket.IO packet and true; a ping is answered and a noop
// skipped (false, nil); a close packet is loadgen.ErrClosed.
func engineFrame(s session, frame []byte) (wire.Packet, bool, error) {
	switch wire.EIOType(frame[0]) {
	case wire.EIOMessage:
		pkt, err := wire.ParsePacket(frame[1:])
		if err != nil {
			return pkt, false, fmt.Errorf("%w: %w", loadgen.ErrProtocol, err)
		}
		return pkt, true, nil
	case wire.EIOPing:
		return wire.Packet{}, false, s.send([]byte{byte(wire.EIOPong)})
	case wire.EIONoop:
		return wire.Packet{}, false, nil
	case wire.EIOClose:
		return wire.Packet{}, false, fmt.Errorf("%w: engine.io close packet", loadgen.ErrClosed)
	}
	return wire.Packet{}, false, fmt.Errorf("%w: unexpected engine.io packet %q", loadgen.ErrProtocol, clip(frame))
}

// poll sends one GET and queues the packets of its answer.
func (p *pollSession) poll(ctx context.Context) error {
	body, err := p.do(ctx, http.MethodGet, p.url(p.id, nil), p.later, nil)
	if err != nil {
		return err
	}
	packets, err := wire.SplitPayload(body, maxPollPackets)
	if err != nil {
		return fmt.Errorf("%w: %w", loadgen.ErrProtocol, err)
	}
	p.queue = append(p.queue, packets...)
	return nil
}

// clip returns the start of b as text, for error messages and evidence.
func clip(b []byte) string {
	const max = 200
	if len(b) <= max {
		return string(b)
	}
	return string(b[:max]) + fmt.Sprintf("…(%d bytes)", len(b))
}

// baseURL turns a target URL into the http(s) base URL of its Engine.IO path.
func baseURL(target, path string) (*url.URL, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("%w: target %q: %w", ErrConfig, target, err)
	}
	switch u.Scheme {
	case "http", "ws":
		u.Scheme = "http"
	case "https", "wss":
		u.Scheme = "https"
	default:
		return nil, fmt.Errorf("%w: target %q: scheme must be http, https, ws or wss", ErrConfig, target)
	}
	switch {
	case path != "":
		u.Path = path
	case u.Path == "" || u.Path == "/":
		u.Path = loadgen.DefaultPath
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}
