package loadgen

import (
	"context"
	"errors"
	"strconv"

	"github.com/gatecrash/gatecrash/results"
)

// The transport-error codes Classify puts in Sample.Code.
const (
	CodeDial      = "dial"
	CodeTLS       = "tls"
	CodeProtocol  = "protocol"
	CodeOversize  = "oversize"
	CodeBinary    = "binary"
	CodeCancelled = "cancelled"
	CodeIO        = "io"
	// CodeDisconnected goes with OutcomeClosed: the server sent DISCONNECT
	// for the namespace instead of answering.
	CodeDisconnected = "disconnected"
)

// Classify maps the error of a dial, a CONNECT or an ack wait to the outcome
// the results record, and the code that goes with it: the CONNECT_ERROR's
// code (or message), the HTTP status, or a short transport classification.
// A nil error is an acceptance.
func Classify(err error) (results.Outcome, string) {
	var ce *ConnectError
	var he *HTTPError
	switch {
	case err == nil:
		return results.OutcomeAccepted, ""
	case errors.As(err, &ce):
		if ce.Code != "" {
			return results.OutcomeRejected, ce.Code
		}
		return results.OutcomeRejected, ce.Message
	case errors.As(err, &he):
		return results.OutcomeHTTPError, strconv.Itoa(he.Status)
	case errors.Is(err, context.Canceled):
		return results.OutcomeTransportError, CodeCancelled
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return results.OutcomeTimeout, ""
	case errors.Is(err, ErrDisconnected):
		return results.OutcomeClosed, CodeDisconnected
	case errors.Is(err, ErrClosed):
		return results.OutcomeClosed, ""
	}
	return results.OutcomeTransportError, transportCode(err)
}

func transportCode(err error) string {
	for _, c := range []struct {
		err  error
		code string
	}{
		{ErrDial, CodeDial}, {ErrTLS, CodeTLS}, {ErrTooLarge, CodeOversize},
		{ErrBinary, CodeBinary}, {ErrProtocol, CodeProtocol},
	} {
		if errors.Is(err, c.err) {
			return c.code
		}
	}
	return CodeIO
}
