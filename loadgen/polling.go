package loadgen

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/gatecrash/gatecrash/internal/wire"
)

// maxPayloadPackets bounds the packets read from one polling response.
const maxPayloadPackets = 64

// dialPolling opens the session with a polling GET and upgrades it to a
// websocket. The polling connection is closed once the open packet is read:
// no CONNECT travels over polling, so nothing waits on it. Cookies the
// polling response sets go with the upgrade request, as a browser's would
// (a server may bind its session to one). The upgrade's own dial and probe
// are part of the service time, not of a named phase.
func (d *Dialer) dialPolling(ctx context.Context, hs *Handshake, tr *dialTrace) (*Conn, error) {
	open, cookies, err := d.pollOpen(ctx, hs, tr)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(open.Upgrades, "websocket") {
		return nil, fmt.Errorf("%w: server offers no websocket upgrade (%v)", ErrProtocol, open.Upgrades)
	}
	up := context.WithValue(ctx, traceKey{}, &dialTrace{local: tr.local})
	header := withCookies(hs.Header, cookies)
	ws, resp, err := d.ws.DialContext(up, d.url(hs, "websocket", open.SID).String(), header)
	if err != nil {
		return nil, upgradeError(ctx, resp, err)
	}
	c := d.newConn(ws, tr.timings)
	c.open, c.heartbeat = open, open.HeartbeatTimeout()
	if err := c.probe(ctx); err != nil {
		ws.Close()
		return nil, err
	}
	return c, nil
}

// pollOpen sends the polling GET that opens the session and reads the open
// packet from its response, on a connection of its own. It returns the
// cookies the response sets.
func (d *Dialer) pollOpen(ctx context.Context, hs *Handshake, tr *dialTrace) (wire.Open, []*http.Cookie, error) {
	u := d.url(hs, "polling", "")
	nc, err := d.dialContext(ctx, hostPort(u.Host, d.secure))
	if err != nil {
		return wire.Open{}, nil, err
	}
	defer nc.Close()
	stop := bindContext(ctx, nc)
	defer stop()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return wire.Open{}, nil, fmt.Errorf("%w: %w", ErrPlan, err)
	}
	req.Header = hs.Header
	start := d.now()
	resp, err := roundTrip(nc, req)
	tr.timings.Upgrade = d.now().Sub(start)
	if err != nil {
		return wire.Open{}, nil, contextOr(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return wire.Open{}, nil, httpError(resp)
	}

	start = d.now()
	open, err := d.readOpenPayload(resp.Body)
	tr.timings.Open = d.now().Sub(start)
	return open, resp.Cookies(), contextOr(ctx, err)
}

// withCookies returns h with cookies added to its Cookie header; h itself is
// not changed.
func withCookies(h http.Header, cookies []*http.Cookie) http.Header {
	if len(cookies) == 0 {
		return h
	}
	parts := make([]string, 0, len(cookies)+1)
	if v := h.Get("Cookie"); v != "" {
		parts = append(parts, v)
	}
	for _, c := range cookies {
		parts = append(parts, c.Name+"="+c.Value)
	}
	out := h.Clone()
	if out == nil {
		out = http.Header{}
	}
	out.Set("Cookie", strings.Join(parts, "; "))
	return out
}

func roundTrip(nc net.Conn, req *http.Request) (*http.Response, error) {
	if err := req.Write(nc); err != nil {
		return nil, fmt.Errorf("polling request: %w", ioError(err))
	}
	resp, err := http.ReadResponse(bufio.NewReaderSize(nc, 2048), req)
	if err != nil {
		return nil, fmt.Errorf("polling response: %w", ioError(err))
	}
	return resp, nil
}

func (d *Dialer) readOpenPayload(body io.Reader) (wire.Open, error) {
	payload, err := io.ReadAll(io.LimitReader(body, d.readLimit+1))
	if err != nil {
		return wire.Open{}, fmt.Errorf("polling body: %w", ioError(err))
	}
	if int64(len(payload)) > d.readLimit {
		return wire.Open{}, fmt.Errorf("%w: polling response over %d bytes", ErrTooLarge, d.readLimit)
	}
	packets, err := wire.SplitPayload(payload, maxPayloadPackets)
	if err != nil {
		return wire.Open{}, fmt.Errorf("%w: %w", ErrProtocol, err)
	}
	open, err := wire.ParseOpen(packets[0])
	if err != nil {
		return wire.Open{}, fmt.Errorf("%w: %w", ErrProtocol, err)
	}
	return open, nil
}

// probe runs the upgrade exchange on the new websocket: 2probe, 3probe, 5.
func (c *Conn) probe(ctx context.Context) error {
	if err := c.WriteRaw([]byte("2" + wire.Probe)); err != nil {
		return err
	}
	for range maxSkipped {
		frame, err := c.readFrame(ctx)
		if err != nil {
			return err
		}
		switch {
		case string(frame) == "3"+wire.Probe:
			return c.WriteRaw([]byte{byte(wire.EIOUpgrade)})
		case wire.EIOType(frame[0]) == wire.EIONoop:
		default:
			return fmt.Errorf("%w: upgrade probe answered with %q", ErrProtocol, clip(frame))
		}
	}
	return fmt.Errorf("%w: no probe answer within %d frames", ErrProtocol, maxSkipped)
}

// bindContext applies ctx's deadline to nc and closes nc's I/O when ctx is
// cancelled; the returned function undoes the cancellation hook.
func bindContext(ctx context.Context, nc net.Conn) func() bool {
	if dl, ok := ctx.Deadline(); ok {
		nc.SetDeadline(dl)
	}
	return context.AfterFunc(ctx, func() { nc.SetDeadline(aLongTimeAgo) })
}

// contextOr returns err wrapped in ctx's error when ctx explains it.
func contextOr(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if derr := deadlineError(ctx, err); derr != nil {
		return derr
	}
	return err
}

func hostPort(host string, secure bool) string {
	if _, _, err := net.SplitHostPort(host); err == nil {
		return host
	}
	if secure {
		return net.JoinHostPort(host, "443")
	}
	return net.JoinHostPort(host, "80")
}
