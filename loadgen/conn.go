package loadgen

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gatecrash/gatecrash/internal/wire"
)

// writePool is shared by every socket: a held socket owns no write buffer
// between writes.
var writePool sync.Pool

// encodePool holds scratch buffers for encoding frames.
var encodePool = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// maxSkipped bounds the packets a wait may skip (pings, noops, packets for
// other namespaces or other acks) before it calls the stream a protocol
// violation, so a flooding server cannot keep a client reading forever.
const maxSkipped = 256

// Conn is one open Engine.IO session over a websocket. Its methods that read
// (Connect, EmitWithAck, ReadPacket) must be called from one goroutine at a
// time; writes may come from any goroutine. Server pings are answered while
// reading. A read error, including a deadline or a cancelled context, ends
// the session: later calls fail too.
type Conn struct {
	ws        *websocket.Conn
	open      wire.Open
	timings   Timings
	heartbeat time.Duration
	now       func() time.Time
	// readDL is the read deadline last set from a context's deadline; zero
	// when unknown (none set yet, a heartbeat deadline, or a cancellation
	// hook that may have fired), so the next read sets it again.
	readDL time.Time
	wmu    sync.Mutex
	nextID atomic.Int64
}

func (d *Dialer) newConn(ws *websocket.Conn, t Timings) *Conn {
	ws.SetReadLimit(d.readLimit)
	return &Conn{ws: ws, timings: t, now: d.now}
}

// Open returns the session's Engine.IO handshake data.
func (c *Conn) Open() wire.Open { return c.open }

// Timings returns the connection-level phases measured while dialing.
func (c *Conn) Timings() Timings { return c.timings }

// readOpen reads the Engine.IO open packet of a websocket-first session.
func (c *Conn) readOpen(ctx context.Context) error {
	start := c.now()
	frame, err := c.readFrame(ctx)
	if err != nil {
		return err
	}
	if err := c.setOpen(frame); err != nil {
		return err
	}
	c.timings.Open = c.now().Sub(start)
	return nil
}

func (c *Conn) setOpen(frame []byte) error {
	o, err := wire.ParseOpen(frame)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrProtocol, err)
	}
	c.open = o
	c.heartbeat = o.HeartbeatTimeout()
	return nil
}

// readFrame reads one text frame, with ctx's deadline (or, without one, the
// heartbeat timeout) as the read deadline and ctx's cancellation aborting
// the read. A deadline already set by the previous read is not set again:
// each set rearms a runtime timer, and a handshake reads three or four
// frames under one context.
func (c *Conn) readFrame(ctx context.Context) ([]byte, error) {
	nc := c.ws.NetConn()
	if dl, ok := ctx.Deadline(); ok {
		if !dl.Equal(c.readDL) {
			nc.SetReadDeadline(dl)
			c.readDL = dl
		}
	} else if c.heartbeat > 0 {
		nc.SetReadDeadline(c.now().Add(c.heartbeat))
		c.readDL = time.Time{}
	}
	var stop func() bool
	if ctx.Done() != nil {
		stop = context.AfterFunc(ctx, func() { nc.SetReadDeadline(aLongTimeAgo) })
	}
	typ, frame, err := c.ws.ReadMessage()
	if stop != nil && !stop() {
		c.readDL = time.Time{} // the hook ran: the deadline is in the past
	}
	if err != nil {
		if derr := deadlineError(ctx, err); derr != nil {
			return nil, fmt.Errorf("read: %w", derr)
		}
		return nil, fmt.Errorf("read: %w", ioError(err))
	}
	if typ != websocket.TextMessage {
		return nil, fmt.Errorf("%w: websocket message type %d", ErrBinary, typ)
	}
	if len(frame) == 0 {
		return nil, fmt.Errorf("%w: empty frame", ErrProtocol)
	}
	return frame, nil
}

// ReadPacket reads the next Socket.IO packet, answering Engine.IO pings and
// skipping noops on the way. An Engine.IO close packet yields ErrClosed; a
// binary packet ErrBinary.
func (c *Conn) ReadPacket(ctx context.Context) (wire.Packet, error) {
	for range maxSkipped {
		frame, err := c.readFrame(ctx)
		if err != nil {
			return wire.Packet{}, err
		}
		switch wire.EIOType(frame[0]) {
		case wire.EIOMessage:
			return parseMessage(frame)
		case wire.EIOPing:
			frame[0] = byte(wire.EIOPong)
			if err := c.WriteRaw(frame); err != nil {
				return wire.Packet{}, err
			}
		case wire.EIONoop:
		case wire.EIOClose:
			return wire.Packet{}, fmt.Errorf("%w: engine.io close packet", ErrClosed)
		default:
			return wire.Packet{}, fmt.Errorf("%w: unexpected engine.io packet %q", ErrProtocol, clip(frame))
		}
	}
	return wire.Packet{}, fmt.Errorf("%w: %d frames without a message", ErrProtocol, maxSkipped)
}

func parseMessage(frame []byte) (wire.Packet, error) {
	p, err := wire.ParsePacket(frame[1:])
	if err != nil {
		return p, fmt.Errorf("%w: %w", ErrProtocol, err)
	}
	if p.Type == wire.BinaryEvent || p.Type == wire.BinaryAck {
		return p, fmt.Errorf("%w: socket.io packet type %d", ErrBinary, p.Type)
	}
	return p, nil
}

// WriteRaw sends frame as one websocket text frame, exactly as given. It is
// the way to send malformed or hand-built packets.
func (c *Conn) WriteRaw(frame []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.ws.WriteMessage(websocket.TextMessage, frame); err != nil {
		return fmt.Errorf("write: %w", ioError(err))
	}
	return nil
}

// WritePacket encodes p as an Engine.IO message and sends it.
func (c *Conn) WritePacket(p wire.Packet) error {
	bp := encodePool.Get().(*[]byte)
	*bp = wire.AppendMessage((*bp)[:0], p)
	err := c.WriteRaw(*bp)
	encodePool.Put(bp)
	return err
}

// Connect sends a CONNECT for nsp with auth as its raw JSON payload (nil for
// none) and waits for its answer. It returns the namespace's socket id on
// acceptance, a *ConnectError on CONNECT_ERROR, and otherwise a read error.
// Packets for other namespaces that arrive meanwhile are dropped.
func (c *Conn) Connect(ctx context.Context, nsp string, auth []byte) (string, error) {
	nsp = normNamespace(nsp)
	err := c.WritePacket(wire.Packet{Type: wire.Connect, Namespace: nsp, ID: wire.NoID, Data: auth})
	if err != nil {
		return "", err
	}
	for range maxSkipped {
		p, err := c.ReadPacket(ctx)
		if err != nil {
			return "", err
		}
		if p.Namespace != nsp {
			continue
		}
		switch p.Type {
		case wire.Connect:
			return connectSID(p.Data)
		case wire.ConnectError:
			return "", connectError(nsp, p.Data)
		case wire.Disconnect:
			return "", fmt.Errorf("%w: %s before its CONNECT answer", ErrDisconnected, nsp)
		}
	}
	return "", fmt.Errorf("%w: no CONNECT answer within %d packets", ErrProtocol, maxSkipped)
}

// Emit sends an EVENT on nsp; args is the raw JSON array whose first element
// is the event name (["echo","hi"]).
func (c *Conn) Emit(nsp string, args []byte) error {
	p := wire.Packet{Type: wire.Event, Namespace: normNamespace(nsp), ID: wire.NoID, Data: args}
	return c.WritePacket(p)
}

// EmitWithAck sends an EVENT with a fresh ack id and waits for its ACK,
// returning the ACK's raw JSON array.
func (c *Conn) EmitWithAck(ctx context.Context, nsp string, args []byte) ([]byte, error) {
	id, err := c.EmitID(nsp, args)
	if err != nil {
		return nil, err
	}
	nsp = normNamespace(nsp)
	for range maxSkipped {
		p, err := c.ReadPacket(ctx)
		if err != nil {
			return nil, err
		}
		if p.Namespace != nsp {
			continue
		}
		switch {
		case p.Type == wire.Ack && p.ID == id:
			return p.Data, nil
		case p.Type == wire.Disconnect:
			return nil, fmt.Errorf("%w: %s while waiting for ack", ErrDisconnected, nsp)
		}
	}
	return nil, fmt.Errorf("%w: no ACK within %d packets", ErrProtocol, maxSkipped)
}

// EmitID sends an EVENT with a fresh ack id and returns the id without
// waiting; the ACK arrives through ReadPacket.
func (c *Conn) EmitID(nsp string, args []byte) (int64, error) {
	id := c.nextID.Add(1) - 1
	p := wire.Packet{Type: wire.Event, Namespace: normNamespace(nsp), ID: id, Data: args}
	return id, c.WritePacket(p)
}

// Disconnect sends DISCONNECT for nsp: the client leaves the namespace and
// the session stays open for the others.
func (c *Conn) Disconnect(nsp string) error {
	return c.WritePacket(wire.Packet{Type: wire.Disconnect, Namespace: normNamespace(nsp), ID: wire.NoID})
}

// Close sends a websocket close frame (best effort, 1 s at most) and closes
// the connection.
func (c *Conn) Close() error {
	c.wmu.Lock()
	_ = c.ws.WriteControl(websocket.CloseMessage,
		websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), c.now().Add(time.Second))
	c.wmu.Unlock()
	return c.ws.Close()
}

func normNamespace(nsp string) string {
	if nsp == "" {
		return "/"
	}
	return nsp
}

func connectSID(data []byte) (string, error) {
	var v struct {
		SID string `json:"sid"`
	}
	if len(data) == 0 || json.Unmarshal(data, &v) != nil || v.SID == "" {
		return "", fmt.Errorf("%w: CONNECT answer without sid: %q", ErrProtocol, clip(data))
	}
	return v.SID, nil
}

// connectError decodes a CONNECT_ERROR's data: {"message":…,"data":{"code":…}}
// in Socket.IO v5, a bare string from older servers, or nothing.
func connectError(nsp string, data []byte) error {
	e := &ConnectError{Namespace: nsp}
	if len(data) == 0 {
		return e
	}
	if data[0] == '"' {
		_ = json.Unmarshal(data, &e.Message)
		return e
	}
	var v struct {
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
	}
	_ = json.Unmarshal(data, &v)
	e.Message = v.Message
	var d struct {
		Code any `json:"code"`
	}
	if len(v.Data) > 0 && json.Unmarshal(v.Data, &d) == nil && d.Code != nil {
		e.Code = fmt.Sprint(d.Code)
	}
	return e
}

// clip shortens b for an error message.
func clip(b []byte) []byte {
	if len(b) > 40 {
		return b[:40]
	}
	return b
}
