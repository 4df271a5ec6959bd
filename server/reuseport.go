package server

import (
	"context"
	"net"
)

// listenTCP opens the Socket.IO listener on addr, with SO_REUSEPORT when
// reuse is set: several processes (or servers) may then listen on the same
// address and the kernel spreads new connections over them by a hash of the
// connection's addresses and ports.
//
// Spreading is per TCP connection, so a client whose requests span several
// connections is not sticky: Engine.IO long-polling (each poll a new
// request, possibly a new connection) and a session-bound upgrade may land
// on a process that does not know the session and be refused. Behind a
// reuse-port group, use the websocket transport alone.
func listenTCP(addr string, reuse bool) (net.Listener, error) {
	if !reuse {
		return net.Listen("tcp", addr)
	}
	lc := net.ListenConfig{Control: setReusePort}
	return lc.Listen(context.Background(), "tcp", addr)
}
