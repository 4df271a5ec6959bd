package loadgen

import "syscall"

// ipBindAddressNoPort is IP_BIND_ADDRESS_NO_PORT from linux/in.h (the
// syscall package does not name it).
const ipBindAddressNoPort = 24

// bindAddressNoPort sets IP_BIND_ADDRESS_NO_PORT on a socket bound to a
// chosen source address, so the kernel picks the port at connect time per
// (source, destination) pair instead of reserving it at bind time. Without
// it every bound socket holds a port of the whole ephemeral range, and
// spreading over several source addresses would not multiply the ports.
func bindAddressNoPort(_, _ string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IP, ipBindAddressNoPort, 1)
	})
	if err != nil {
		return err
	}
	return serr
}
