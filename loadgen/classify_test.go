package loadgen

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/gatecrash/gatecrash/results"
)

func TestClassify(t *testing.T) {
	const (
		accepted  = results.OutcomeAccepted
		rejected  = results.OutcomeRejected
		closed    = results.OutcomeClosed
		timeout   = results.OutcomeTimeout
		transport = results.OutcomeTransportError
	)
	tests := []struct {
		name     string
		err      error
		wantOut  results.Outcome
		wantCode string
	}{
		{name: "accepted", err: nil, wantOut: accepted},
		{name: "rejected with code", wantOut: rejected, wantCode: "expired",
			err: fmt.Errorf("x: %w", &ConnectError{Message: "unauthorized", Code: "expired"})},
		{name: "rejected message only", err: &ConnectError{Message: "Invalid namespace"},
			wantOut: rejected, wantCode: "Invalid namespace"},
		{name: "rejected without data", err: &ConnectError{}, wantOut: rejected},
		{name: "http error", err: &HTTPError{Status: 403}, wantOut: results.OutcomeHTTPError,
			wantCode: "403"},
		{name: "deadline", err: fmt.Errorf("read: %w", context.DeadlineExceeded), wantOut: timeout},
		{name: "heartbeat timeout", err: fmt.Errorf("read: %w", os.ErrDeadlineExceeded),
			wantOut: timeout},
		{name: "cancelled", err: context.Canceled, wantOut: transport, wantCode: CodeCancelled},
		{name: "closed", err: fmt.Errorf("%w: EOF", ErrClosed), wantOut: closed},
		{name: "disconnected", err: ErrDisconnected, wantOut: closed,
			wantCode: CodeDisconnected},
		{name: "dial", err: fmt.Errorf("%w: refused", ErrDial), wantOut: transport,
			wantCode: CodeDial},
		{name: "tls", err: ErrTLS, wantOut: transport, wantCode: CodeTLS},
		{name: "oversize", err: ErrTooLarge, wantOut: transport, wantCode: CodeOversize},
		{name: "binary", err: ErrBinary, wantOut: transport, wantCode: CodeBinary},
		{name: "protocol", err: ErrProtocol, wantOut: transport, wantCode: CodeProtocol},
		{name: "unknown", err: errors.New("?"), wantOut: transport,
			wantCode: CodeIO},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, code := Classify(tt.err)
			if out != tt.wantOut || code != tt.wantCode {
				t.Fatalf("Classify(%v) = %s, %q; want %s, %q", tt.err, out, code, tt.wantOut, tt.wantCode)
			}
		})
	}
}
