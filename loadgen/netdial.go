package loadgen

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/netip"
	"time"
)

// Timings are the connection-level phases of one session.
type Timings struct {
	// Dial is the TCP connect; TLS the TLS handshake (zero without TLS).
	Dial, TLS time.Duration
	// Upgrade is the HTTP exchange that opens the transport: websocket
	// upgrade request to its 101, or the polling GET to its response headers.
	Upgrade time.Duration
	// Open is the transport being ready to the Engine.IO open packet read.
	Open time.Duration
}

// dialTrace travels in the dial's context so that the shared websocket
// dialer's hooks can time the TCP and TLS phases of this one dial.
type dialTrace struct {
	local   netip.Addr
	timings Timings
}

type traceKey struct{}

func traceOf(ctx context.Context) *dialTrace {
	tr, _ := ctx.Value(traceKey{}).(*dialTrace)
	if tr == nil {
		tr = &dialTrace{}
	}
	return tr
}

// dialTCP opens the TCP connection, from the trace's source address when it
// has one, and times it.
func (d *Dialer) dialTCP(ctx context.Context, network, addr string) (net.Conn, error) {
	tr := traceOf(ctx)
	// No TCP keepalive: it costs four setsockopt calls per dial (a tenth of a
	// handshake's syscalls), and sessions are watched by Engine.IO's own
	// heartbeat (the read deadline) anyway.
	nd := net.Dialer{KeepAlive: -1}
	if tr.local.IsValid() {
		nd.LocalAddr = &net.TCPAddr{IP: tr.local.AsSlice()}
		nd.Control = bindAddressNoPort
	}
	start := d.now()
	c, err := nd.DialContext(ctx, network, addr)
	tr.timings.Dial = d.now().Sub(start)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDial, err)
	}
	return c, nil
}

// dialTLS opens the TCP connection and runs the TLS handshake, timing each.
func (d *Dialer) dialTLS(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := d.dialTCP(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	tr := traceOf(ctx)
	tc := tls.Client(c, d.tls)
	start := d.now()
	err = tc.HandshakeContext(ctx)
	tr.timings.TLS = d.now().Sub(start)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("%w: %w", ErrTLS, err)
	}
	return tc, nil
}

// dialContext opens the transport's connection for a raw HTTP exchange
// (polling), with TLS when the target is secure.
func (d *Dialer) dialContext(ctx context.Context, addr string) (net.Conn, error) {
	if d.secure {
		return d.dialTLS(ctx, "tcp", addr)
	}
	return d.dialTCP(ctx, "tcp", addr)
}

// aLongTimeAgo is a deadline in the past: setting it aborts blocked I/O.
var aLongTimeAgo = time.Unix(1, 0)
