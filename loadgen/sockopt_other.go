//go:build !linux

package loadgen

import "syscall"

// bindAddressNoPort does nothing outside Linux: each bound source address
// then reserves its port at bind time, which limits sockets per source.
func bindAddressNoPort(_, _ string, _ syscall.RawConn) error { return nil }
