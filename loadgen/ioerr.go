package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/gorilla/websocket"
)

// ioError maps an error from a read or write on an established connection to
// the package's sentinels: a close by the peer becomes ErrClosed, an
// oversized frame ErrTooLarge; timeouts stay as they are; anything else the
// websocket layer refused is a protocol violation.
func ioError(err error) error {
	var ce *websocket.CloseError
	switch {
	case isTimeout(err):
		return err
	case errors.As(err, &ce):
		return fmt.Errorf("%w: websocket close %d: %w", ErrClosed, ce.Code, err)
	case errors.Is(err, websocket.ErrReadLimit):
		return fmt.Errorf("%w: %w", ErrTooLarge, err)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, net.ErrClosed), errors.Is(err, websocket.ErrCloseSent):
		return fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return fmt.Errorf("%w: %w", ErrProtocol, err)
}

// deadlineError returns err wrapped in ctx's error when ctx explains it: ctx
// was cancelled, or err is a timeout of the I/O deadline copied from ctx's
// deadline (the timer may fire just before ctx's own). It returns nil when
// ctx does not explain err.
func deadlineError(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("%w: %w", cerr, err)
	}
	if _, ok := ctx.Deadline(); ok && isTimeout(err) {
		return fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
	}
	return nil
}

// isTimeout reports a deadline expiry of a network operation.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
