//go:build !linux

package server

import (
	"fmt"
	"syscall"
)

// setReusePort refuses: SO_REUSEPORT is only wired up on Linux, where the
// kernel balances connections over the sockets sharing a port.
func setReusePort(_, _ string, _ syscall.RawConn) error {
	return fmt.Errorf("%w: SO_REUSEPORT is supported on Linux only", ErrConfig)
}
