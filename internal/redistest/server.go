package redistest

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Bounds of starting and stopping a server. A loopback redis-server with no
// data is ready in milliseconds; the bounds only stop a broken one from
// hanging the test binary.
const (
	readyTimeout = 10 * time.Second
	stopTimeout  = 5 * time.Second
	startTries   = 3 // a free port may be taken between picking and binding
)

// ErrNotRunning is returned by the methods that need a live process when the
// server has been stopped or killed.
var ErrNotRunning = errors.New("redistest: redis-server not running")

// Options configure a Server. The zero value is an in-memory server: no
// RDB snapshots, no append-only file, so a restart starts empty.
type Options struct {
	// Persist turns on the append-only file with an fsync on every write,
	// so the data survives Kill and Restart.
	Persist bool
}

// Server is one redis-server process listening on 127.0.0.1. Its methods
// are safe for concurrent use.
type Server struct {
	path string
	opts Options
	dir  string
	port int

	mu   sync.Mutex
	proc *process // nil once stopped or killed
}

// Start starts a server for the test and stops it, by PID, when the test
// ends. Where redis-server is missing it behaves as Require.
func Start(tb testing.TB, opts Options) *Server {
	tb.Helper()
	Require(tb)
	s, err := New(opts)
	if err != nil {
		tb.Fatalf("redistest: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("redistest: %v", err)
		}
	})
	return s
}

// New starts a server on a free loopback port and waits until it answers
// PING. The caller must Close it.
func New(opts Options) (*Server, error) {
	path, err := Available()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "redistest-")
	if err != nil {
		return nil, fmt.Errorf("redistest: %w", err)
	}
	s := &Server{path: path, opts: opts, dir: dir}
	for try := 0; try < startTries; try++ {
		if s.port, err = freePort(); err != nil {
			break
		}
		if err = s.start(); err == nil {
			return s, nil
		}
	}
	_ = os.RemoveAll(dir)
	return nil, err
}

// Addr returns host:port of the server.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// URL returns the server's redis:// URL, database 0.
func (s *Server) URL() string { return "redis://" + s.Addr() + "/0" }

// PID returns the process id, 0 when the server is not running.
func (s *Server) PID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return 0
	}
	return s.proc.cmd.Process.Pid
}

// Stop ends the server with SIGTERM (its normal shutdown), escalating to
// SIGKILL after a bound, and waits for it to exit.
func (s *Server) Stop() error { return s.end(syscall.SIGTERM) }

// Kill ends the server with SIGKILL, as a crash would, and waits for it to
// exit. Without Options.Persist its data is lost.
func (s *Server) Kill() error { return s.end(syscall.SIGKILL) }

// Pause stops the process with SIGSTOP: connections stay open and nothing
// answers, as with a hung server or a partitioned network. Resume undoes it.
func (s *Server) Pause() error { return s.signal(syscall.SIGSTOP) }

// Resume continues a paused server with SIGCONT.
func (s *Server) Resume() error { return s.signal(syscall.SIGCONT) }

// Restart starts the server again on the same port and directory after Stop
// or Kill, and waits until it answers.
func (s *Server) Restart() error {
	s.mu.Lock()
	running := s.proc != nil
	s.mu.Unlock()
	if running {
		return errors.New("redistest: restart of a running server")
	}
	return s.start()
}

// Close stops the server if it runs and removes its directory.
func (s *Server) Close() error {
	err := s.Stop()
	if errors.Is(err, ErrNotRunning) {
		err = nil
	}
	return errors.Join(err, os.RemoveAll(s.dir))
}

func (s *Server) args() []string {
	args := []string{
		"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--protected-mode", "yes",
		"--dir", s.dir, "--save", "", "--daemonize", "no", "--logfile", "",
	}
	if s.opts.Persist {
		return append(args, "--appendonly", "yes", "--appendfsync", "always")
	}
	return append(args, "--appendonly", "no")
}

// start launches the process and waits for PING to answer.
func (s *Server) start() error {
	p, err := launch(s.path, s.args())
	if err != nil {
		return err
	}
	if err := waitReady(s.Addr(), p); err != nil {
		_ = p.end(syscall.SIGKILL)
		return err
	}
	s.mu.Lock()
	s.proc = p
	s.mu.Unlock()
	return nil
}

func (s *Server) end(sig syscall.Signal) error {
	s.mu.Lock()
	p := s.proc
	s.proc = nil
	s.mu.Unlock()
	if p == nil {
		return ErrNotRunning
	}
	return p.end(sig)
}

func (s *Server) signal(sig syscall.Signal) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return ErrNotRunning
	}
	return s.proc.cmd.Process.Signal(sig)
}

// freePort asks the kernel for a free loopback port. Another process may take
// it before redis-server binds it; New then retries with another.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("redistest: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls addr with PING until it answers PONG, the process exits or
// readyTimeout passes.
func waitReady(addr string, p *process) error {
	deadline := time.Now().Add(readyTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			return fmt.Errorf("redistest: redis-server exited at start: %v\n%s", p.err, p.output())
		default:
		}
		if ping(addr) == nil {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("redistest: redis-server on %s not ready after %s\n%s", addr, readyTimeout, p.output())
}

// ping sends one inline PING and wants +PONG (a server still loading its
// append-only file answers -LOADING).
func ping(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(500 * time.Millisecond))
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if line != "+PONG\r\n" {
		return fmt.Errorf("redistest: PING answered %q", line)
	}
	return nil
}
