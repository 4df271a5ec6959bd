package audit

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/gorilla/websocket"

	"github.com/gatecrash/gatecrash/internal/wire"
	"github.com/gatecrash/gatecrash/loadgen"
)

// The load generator upgrades a polling session with the headers that opened
// it; G-02 needs the upgrade to carry a header the opening request did not.
// upgradedSession is that upgrade: a websocket naming the polling session's
// sid, the probe exchange, then plain text frames.

// upgradedSession is a polling session moved onto a websocket.
type upgradedSession struct {
	ws *websocket.Conn
	id string
}

// upgrade moves p onto a websocket whose upgrade request carries h (and the
// cookies p's jar holds), and runs the 2probe/3probe/5 exchange.
func (p *pollSession) upgrade(ctx context.Context, h http.Header, d *websocket.Dialer) (
	*upgradedSession, error) {
	u := p.base
	u.Scheme = strings.Replace(u.Scheme, "http", "ws", 1)
	u.RawQuery = "EIO=4&transport=websocket&sid=" + p.id
	header := h.Clone()
	if header == nil {
		header = http.Header{}
	}
	for _, c := range p.client.Jar.Cookies(&p.base) {
		header.Add("Cookie", c.Name+"="+c.Value)
	}
	ws, resp, err := d.DialContext(ctx, u.String(), header)
	if err != nil {
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
			return nil, &loadgen.HTTPError{Status: resp.StatusCode}
		}
		return nil, pollError(ctx, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = ws.SetReadDeadline(dl)
	}
	s := &upgradedSession{ws: ws, id: p.id}
	if err := s.send([]byte("2" + wire.Probe)); err != nil {
		s.close()
		return nil, err
	}
	typ, frame, err := ws.ReadMessage()
	if err != nil || typ != websocket.TextMessage || string(frame) != "3"+wire.Probe {
		s.close()
		return nil, fmt.Errorf("%w: upgrade probe answered %q (%v)", loadgen.ErrProtocol, clip(frame), err)
	}
	return s, s.send([]byte{byte(wire.EIOUpgrade)})
}

func (s *upgradedSession) send(frame []byte) error {
	if err := s.ws.WriteMessage(websocket.TextMessage, frame); err != nil {
		return fmt.Errorf("%w: %w", loadgen.ErrClosed, err)
	}
	return nil
}

func (s *upgradedSession) sid() string { return s.id }

func (s *upgradedSession) close() { _ = s.ws.Close() }

// next reads frames until a Socket.IO packet, answering pings; ctx's
// deadline bounds the wait.
func (s *upgradedSession) next(ctx context.Context) (wire.Packet, error) {
	if dl, ok := ctx.Deadline(); ok {
		_ = s.ws.SetReadDeadline(dl)
	}
	for range maxPollPackets {
		_, frame, err := s.ws.ReadMessage()
		if err != nil {
			return wire.Packet{}, pollError(ctx, err)
		}
		if len(frame) == 0 {
			continue
		}
		if pkt, ok, err := engineFrame(s, frame); ok || err != nil {
			return pkt, err
		}
	}
	return wire.Packet{}, fmt.Errorf("%w: too many frames without a message", loadgen.ErrProtocol)
}
