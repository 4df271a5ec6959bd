package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// EIOType is an Engine.IO v4 packet type, sent as one ASCII digit.
type EIOType byte

// The Engine.IO packet types.
const (
	EIOOpen    EIOType = '0'
	EIOClose   EIOType = '1'
	EIOPing    EIOType = '2'
	EIOPong    EIOType = '3'
	EIOMessage EIOType = '4'
	EIOUpgrade EIOType = '5'
	EIONoop    EIOType = '6'
)

// RecordSeparator separates the packets of a polling payload in Engine.IO v4.
const RecordSeparator = '\x1e'

// Probe is the body of the ping and pong packets exchanged when a polling
// session upgrades to websocket ("2probe", "3probe").
const Probe = "probe"

// Open is the handshake data of the Engine.IO open packet.
type Open struct {
	SID          string   `json:"sid"`
	Upgrades     []string `json:"upgrades"`
	PingInterval int64    `json:"pingInterval"` // milliseconds
	PingTimeout  int64    `json:"pingTimeout"`  // milliseconds
	MaxPayload   int64    `json:"maxPayload"`
}

// HeartbeatTimeout is how long a client may go without hearing from the server
// before it considers the session dead: pingInterval plus pingTimeout.
func (o Open) HeartbeatTimeout() time.Duration {
	return time.Duration(o.PingInterval+o.PingTimeout) * time.Millisecond
}

// ParseOpen parses a whole Engine.IO open packet ("0{...}"). The session id
// must be present.
func ParseOpen(frame []byte) (Open, error) {
	var o Open
	if len(frame) < 2 || EIOType(frame[0]) != EIOOpen {
		return o, fmt.Errorf("%w: expected open packet, got %q", ErrMalformed, clip(frame))
	}
	o, plain := scanOpen(frame[1:])
	if !plain {
		if err := json.Unmarshal(frame[1:], &o); err != nil {
			return o, fmt.Errorf("%w: open packet: %w", ErrMalformed, err)
		}
	}
	if o.SID == "" {
		return o, fmt.Errorf("%w: open packet without sid", ErrMalformed)
	}
	return o, nil
}

// SplitPayload splits a polling payload into its packets. It returns at most
// limit packets and reports ErrMalformed when there are more or when a
// packet is empty. limit bounds the work a hostile payload can cause.
func SplitPayload(payload []byte, limit int) ([][]byte, error) {
	n := bytes.Count(payload, []byte{RecordSeparator}) + 1
	if n > limit {
		return nil, fmt.Errorf("%w: payload of %d packets (limit %d)", ErrMalformed, n, limit)
	}
	out := make([][]byte, 0, n)
	for p := range bytes.SplitSeq(payload, []byte{RecordSeparator}) {
		if len(p) == 0 {
			return nil, fmt.Errorf("%w: empty packet in payload", ErrMalformed)
		}
		out = append(out, p)
	}
	return out, nil
}

// clip shortens b for an error message.
func clip(b []byte) []byte {
	const max = 40
	if len(b) > max {
		return b[:max]
	}
	return b
}
