package distributed

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// maxPayload is the embedded server's largest message. A worker's final
// result carries its histograms (a few KB each, compressed); a scenario with
// thousands of cells can exceed it, and then the worker's result is refused
// by NATS and the worker reported lost. A NATS cluster joined by URL has its
// own limit (1 MB by default).
const maxPayload = 8 << 20

// Server is an embedded nats-server.
type Server struct {
	ns *server.Server
}

// StartServer starts a nats-server listening on addr ("127.0.0.1:0" when
// empty: a free loopback port), logging nothing and ignoring signals.
func StartServer(addr string) (*Server, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("distributed: nats address: %w", err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, fmt.Errorf("distributed: nats port: %w", err)
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	ns, err := server.NewServer(&server.Options{
		Host: host, Port: port, NoLog: true, NoSigs: true, MaxPayload: maxPayload,
	})
	if err != nil {
		return nil, fmt.Errorf("distributed: nats server: %w", err)
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		return nil, fmt.Errorf("distributed: nats server on %s not ready", addr)
	}
	return &Server{ns: ns}, nil
}

// URL returns the nats:// URL clients connect to.
func (s *Server) URL() string { return s.ns.ClientURL() }

// Close stops the server and waits for it to finish.
func (s *Server) Close() {
	s.ns.Shutdown()
	s.ns.WaitForShutdown()
}
