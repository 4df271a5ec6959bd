package loadgen

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors callers branch on. Errors returned by Conn and Dial wrap
// one of these, a *HTTPError, a *ConnectError, a context error or a network
// error; Classify turns any of them into a results.Outcome.
var (
	// ErrProtocol: the server sent something the Engine.IO v4 / Socket.IO v5
	// grammar does not allow (garbage, unexpected packet, bad open).
	ErrProtocol = errors.New("loadgen: protocol violation")
	// ErrBinary: the server sent a binary websocket frame or a binary
	// Socket.IO packet, which this client does not reassemble.
	ErrBinary = errors.New("loadgen: binary frame")
	// ErrTooLarge: a frame or polling response exceeded the read limit.
	ErrTooLarge = errors.New("loadgen: frame too large")
	// ErrClosed: the server ended the session (Engine.IO close packet,
	// websocket close, or the TCP connection closing) without answering.
	ErrClosed = errors.New("loadgen: closed by server")
	// ErrDisconnected: the server sent DISCONNECT for the namespace.
	ErrDisconnected = errors.New("loadgen: namespace disconnected by server")
	// ErrDial and ErrTLS mark failures to open the TCP connection and to
	// complete the TLS handshake.
	ErrDial = errors.New("loadgen: dial")
	ErrTLS  = errors.New("loadgen: tls handshake")
	// ErrCapacity: a plan needs more sockets than the process may open.
	ErrCapacity = errors.New("loadgen: not enough open files or ports")
	// ErrPlan: a plan is invalid.
	ErrPlan = errors.New("loadgen: invalid plan")
)

// HTTPError is an HTTP status other than the expected one (101 for a
// websocket upgrade, 200 for a polling request).
type HTTPError struct {
	Status int
	// Body is the start of the response body, for diagnosis.
	Body string
}

// Error describes the refusal.
func (e *HTTPError) Error() string {
	return "loadgen: http status " + strconv.Itoa(e.Status) + ": " + e.Body
}

// ConnectError is a CONNECT_ERROR answer to a namespace CONNECT.
type ConnectError struct {
	Namespace string
	// Message is data.message (or the whole data when it is a string).
	Message string
	// Code is data.data.code when the server sent one.
	Code string
}

// Error describes the rejection.
func (e *ConnectError) Error() string {
	return fmt.Sprintf("loadgen: CONNECT_ERROR on %s: %s (code %q)", e.Namespace, e.Message, e.Code)
}
