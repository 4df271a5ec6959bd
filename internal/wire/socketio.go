package wire

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// SIOType is a Socket.IO v5 packet type, sent as one ASCII digit after the
// Engine.IO message type.
type SIOType byte

// The Socket.IO packet types.
const (
	Connect      SIOType = 0
	Disconnect   SIOType = 1
	Event        SIOType = 2
	Ack          SIOType = 3
	ConnectError SIOType = 4
	BinaryEvent  SIOType = 5
	BinaryAck    SIOType = 6
)

// NoID is Packet.ID when the packet carries no ack id.
const NoID = -1

// maxID bounds ack ids: socket.io-parser refuses ids that are not safe
// integers; we accept what fits in an int64 without overflow.
const maxIDDigits = 18

// Packet is one Socket.IO packet.
type Packet struct {
	Type SIOType
	// Namespace is the namespace, "/" for the main one.
	Namespace string
	// ID is the ack id, or NoID.
	ID int64
	// Attachments is the number of binary attachments (binary types only).
	Attachments int
	// Data is the raw JSON after the header, nil when absent.
	Data []byte
}

// AppendMessage appends p as a whole Engine.IO message frame ("4" followed by
// the Socket.IO packet) to dst. Data is written as given: the caller is
// responsible for it being the JSON it means to send.
func AppendMessage(dst []byte, p Packet) []byte {
	dst = append(dst, byte(EIOMessage), '0'+byte(p.Type))
	if p.Type == BinaryEvent || p.Type == BinaryAck {
		dst = strconv.AppendInt(dst, int64(p.Attachments), 10)
		dst = append(dst, '-')
	}
	if p.Namespace != "" && p.Namespace != "/" {
		dst = append(dst, p.Namespace...)
		dst = append(dst, ',')
	}
	if p.ID >= 0 {
		dst = strconv.AppendInt(dst, p.ID, 10)
	}
	return append(dst, p.Data...)
}

// ParsePacket parses a Socket.IO packet: the payload of an Engine.IO message,
// without its leading "4". The returned Data aliases b.
func ParsePacket(b []byte) (Packet, error) {
	p := Packet{Namespace: "/", ID: NoID}
	if len(b) == 0 || b[0] < '0' || b[0] > '6' {
		return p, fmt.Errorf("%w: bad packet type in %q", ErrMalformed, clip(b))
	}
	p.Type = SIOType(b[0] - '0')
	i := 1
	var err error
	if p.Type == BinaryEvent || p.Type == BinaryAck {
		if p.Attachments, i, err = parseAttachments(b, i); err != nil {
			return p, err
		}
	}
	p.Namespace, i = parseNamespace(b, i)
	if p.ID, i, err = parseID(b, i); err != nil {
		return p, err
	}
	if i < len(b) {
		p.Data = b[i:]
	}
	return p, checkData(p)
}

func parseAttachments(b []byte, i int) (int, int, error) {
	start := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' && i-start < 6 {
		i++
	}
	if i == start || i >= len(b) || b[i] != '-' {
		return 0, i, fmt.Errorf("%w: bad attachment count in %q", ErrMalformed, clip(b))
	}
	n, _ := strconv.Atoi(string(b[start:i]))
	return n, i + 1, nil
}

// parseNamespace reads "/nsp," and returns "/" when the packet names none.
// A namespace that runs to the end of the frame (no comma) is accepted, as
// socket.io-parser does.
func parseNamespace(b []byte, i int) (string, int) {
	if i >= len(b) || b[i] != '/' {
		return "/", i
	}
	start := i
	for i < len(b) && b[i] != ',' {
		i++
	}
	nsp := string(b[start:i])
	if i < len(b) {
		i++ // the comma
	}
	return nsp, i
}

func parseID(b []byte, i int) (int64, int, error) {
	start := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	if i == start {
		return NoID, i, nil
	}
	if i-start > maxIDDigits {
		return NoID, i, fmt.Errorf("%w: ack id too long", ErrMalformed)
	}
	id, _ := strconv.ParseInt(string(b[start:i]), 10, 64)
	return id, i, nil
}

// checkData enforces the data kind each packet type allows (Socket.IO v5):
// CONNECT an optional object, DISCONNECT none, EVENT a non-empty array whose
// first element is a string, ACK an array, CONNECT_ERROR an object or a
// string (older servers), binary types an array.
func checkData(p Packet) error {
	d := p.Data
	switch p.Type {
	case Disconnect:
		if len(d) != 0 {
			return fmt.Errorf("%w: data on DISCONNECT", ErrMalformed)
		}
		return nil
	case Connect, ConnectError:
		if len(d) == 0 {
			return nil
		}
		if d[0] == '{' || (p.Type == ConnectError && d[0] == '"') {
			return validJSON(d)
		}
	case Event, BinaryEvent:
		if len(d) > 1 && d[0] == '[' {
			if err := validJSON(d); err != nil {
				return err
			}
			return checkEventName(d)
		}
	case Ack, BinaryAck:
		if len(d) > 0 && d[0] == '[' {
			return validJSON(d)
		}
	}
	return fmt.Errorf("%w: bad data for packet type %d: %q", ErrMalformed, p.Type, clip(d))
}

func validJSON(d []byte) error {
	if !json.Valid(d) {
		return fmt.Errorf("%w: invalid JSON %q", ErrMalformed, clip(d))
	}
	return nil
}

// checkEventName checks that the first element of a valid JSON array is a
// string, without decoding the array.
func checkEventName(d []byte) error {
	i := 1
	for i < len(d) && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r') {
		i++
	}
	if i >= len(d) || d[i] != '"' {
		return fmt.Errorf("%w: event without a name: %q", ErrMalformed, clip(d))
	}
	return nil
}
