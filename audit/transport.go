package audit

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"

	"github.com/gatecrash/gatecrash/internal/wire"
	"github.com/gatecrash/gatecrash/loadgen"
)

// Transport is how a check's client talks to the server.
type Transport string

// The transports.
const (
	// WebSocket opens the session on a websocket directly.
	WebSocket Transport = "websocket"
	// Polling keeps the whole session on HTTP long-polling: CONNECTs travel
	// in POST bodies, answers in GET responses.
	Polling Transport = "polling"
	// PollingUpgrade opens on polling and upgrades to websocket before any
	// CONNECT, as browsers do.
	PollingUpgrade Transport = "polling-upgrade"
)

// AllTransports returns the three transports, in the order checks run them.
func AllTransports() []Transport { return []Transport{WebSocket, Polling, PollingUpgrade} }

// session is one open Engine.IO session, whatever carries it.
type session interface {
	// send writes one whole Engine.IO packet ("40/admin,{}") as given.
	send(frame []byte) error
	// next returns the next Socket.IO packet, answering pings on the way.
	next(ctx context.Context) (wire.Packet, error)
	// sid is the Engine.IO session id.
	sid() string
	close()
}

// wsSession adapts the load generator's websocket Conn.
type wsSession struct{ c *loadgen.Conn }

func (s wsSession) send(frame []byte) error { return s.c.WriteRaw(frame) }

func (s wsSession) next(ctx context.Context) (wire.Packet, error) { return s.c.ReadPacket(ctx) }

func (s wsSession) sid() string { return s.c.Open().SID }

func (s wsSession) close() { _ = s.c.Close() }

// dial opens a session on transport t with header and query on the request
// that opens it.
func (e *env) dial(ctx context.Context, t Transport, h http.Header, q url.Values) (session, error) {
	if err := e.limit.wait(ctx); err != nil {
		return nil, err
	}
	return e.dialNow(ctx, t, h, q)
}

// dialNow is dial for a caller that has already waited for the limiter.
func (e *env) dialNow(ctx context.Context, t Transport, h http.Header, q url.Values) (session, error) {
	switch t {
	case Polling:
		return e.openPolling(ctx, h, q)
	case PollingUpgrade:
		c, err := e.dialer.Dial(ctx, &loadgen.Handshake{
			Transport: loadgen.PollingUpgrade, Header: h, Query: q,
		}, netip.Addr{})
		if err != nil {
			return nil, err
		}
		return wsSession{c}, nil
	}
	c, err := e.dialer.Dial(ctx, &loadgen.Handshake{Transport: loadgen.WebSocket, Header: h, Query: q},
		netip.Addr{})
	if err != nil {
		return nil, err
	}
	return wsSession{c}, nil
}
