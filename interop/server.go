package interop

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Mode selects how server.js attaches its authentication.
type Mode string

// The server modes.
const (
	// ModeAll attaches the JWT middleware to every namespace.
	ModeAll Mode = "all"
	// ModeMainOnly attaches it only through io.use, so only "/" is guarded:
	// the classic hole of CASES.md V1 and BL-01, for the audit to catch.
	ModeMainOnly Mode = "main-only"
)

// closeGrace is how long Close waits after SIGTERM before it kills the
// process. server.js exits by itself within 2 s of SIGTERM.
const closeGrace = 5 * time.Second

// ServerOptions configures StartNodeServer. Secret is required; every other
// field has a default.
type ServerOptions struct {
	// Secret is the HS256 shared secret. It reaches node through the
	// environment, not the command line, so it does not show in ps.
	Secret string
	// Issuer and Audience are the required "iss" and "aud" (default
	// "gatecrash" each).
	Issuer, Audience string
	// Leeway is the clock leeway for exp, nbf and iat (default 0).
	Leeway time.Duration
	// Mode is ModeAll (default) or ModeMainOnly.
	Mode Mode
	// Dir is the folder of server.js (default NodeDir()); Node the node
	// executable (default "node" on PATH).
	Dir, Node string
	// Stderr receives the server's stderr; nil discards it. The last few KiB
	// are kept for error messages either way.
	Stderr io.Writer
}

func (o ServerOptions) withDefaults() ServerOptions {
	if o.Issuer == "" {
		o.Issuer = "gatecrash"
	}
	if o.Audience == "" {
		o.Audience = "gatecrash"
	}
	if o.Mode == "" {
		o.Mode = ModeAll
	}
	if o.Dir == "" {
		o.Dir = NodeDir()
	}
	o.Node = nodeBinary(o.Node)
	return o
}

// NodeServer is a running server.js on a loopback port.
type NodeServer struct {
	cmd    *exec.Cmd
	addr   string
	mode   Mode
	stderr *tailBuffer
	done   chan struct{} // closed once the process has been waited for
	err    error         // the process's exit status; read after done
	once   sync.Once
	close  error
}

// readyLine is the first line server.js prints on stdout.
type readyLine struct {
	Ready bool   `json:"ready"`
	Port  int    `json:"port"`
	Host  string `json:"host"`
	Mode  Mode   `json:"mode"`
}

// StartNodeServer starts server.js on a free port of 127.0.0.1 and returns
// once it accepts connections. ctx bounds the start only: the server runs
// until Close. On error no process is left running.
func StartNodeServer(ctx context.Context, opts ServerOptions) (*NodeServer, error) {
	o := opts.withDefaults()
	if o.Secret == "" {
		return nil, fmt.Errorf("interop: StartNodeServer: Secret is required")
	}
	if err := nodeAvailableIn(o.Dir, o.Node); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("interop: StartNodeServer: %w", err)
	}
	s, ready, err := spawnServer(o)
	if err != nil {
		return nil, err
	}
	select {
	case line, ok := <-ready:
		if ok {
			return s.accept(line)
		}
		<-s.done
		return nil, s.failure("exited before it was ready")
	case <-ctx.Done():
		s.Close()
		return nil, fmt.Errorf("interop: StartNodeServer: %w", ctx.Err())
	}
}

func spawnServer(o ServerOptions) (*NodeServer, <-chan []byte, error) {
	leeway := strconv.FormatFloat(o.Leeway.Seconds(), 'f', -1, 64)
	cmd := exec.Command(o.Node, filepath.Join(o.Dir, "server.js"),
		"--host", "127.0.0.1", "--port", "0", "--mode", string(o.Mode), "--leeway", leeway)
	cmd.Dir = o.Dir
	cmd.Env = append(os.Environ(),
		"GATECRASH_JWT_SECRET="+o.Secret,
		"GATECRASH_JWT_ISSUER="+o.Issuer,
		"GATECRASH_JWT_AUDIENCE="+o.Audience)
	s := &NodeServer{cmd: cmd, mode: o.Mode, stderr: newTailBuffer(4096), done: make(chan struct{})}
	cmd.Stderr = s.stderr
	if o.Stderr != nil {
		cmd.Stderr = io.MultiWriter(s.stderr, o.Stderr)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, fmt.Errorf("interop: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("%w: start server.js: %w", ErrPeerFailed, err)
	}
	ready := make(chan []byte, 1)
	go s.watch(stdout, ready)
	return s, ready, nil
}

// watch hands the first stdout line to ready, drains the rest so node never
// blocks on a full pipe, and waits for the process once stdout closes.
func (s *NodeServer) watch(stdout io.Reader, ready chan<- []byte) {
	sc := bufio.NewScanner(stdout)
	if sc.Scan() {
		ready <- append([]byte(nil), sc.Bytes()...)
	}
	close(ready)
	for sc.Scan() {
	}
	s.err = s.cmd.Wait()
	close(s.done)
}

func (s *NodeServer) accept(line []byte) (*NodeServer, error) {
	var r readyLine
	if err := json.Unmarshal(line, &r); err != nil || !r.Ready || r.Port == 0 {
		s.Close()
		return nil, fmt.Errorf("%w: unexpected ready line %q", ErrPeerFailed, line)
	}
	s.addr = net.JoinHostPort(r.Host, strconv.Itoa(r.Port))
	return s, nil
}

func (s *NodeServer) failure(what string) error {
	return fmt.Errorf("%w: server.js %s: %v; stderr: %s", ErrPeerFailed, what, s.err, s.stderr)
}

// Addr returns the server's host:port on loopback.
func (s *NodeServer) Addr() string { return s.addr }

// URL returns the server's base URL, for example "http://127.0.0.1:41234".
func (s *NodeServer) URL() string { return "http://" + s.addr }

// Mode returns the mode the server runs in.
func (s *NodeServer) Mode() Mode { return s.mode }

// PID returns the process id of the server.
func (s *NodeServer) PID() int { return s.cmd.Process.Pid }

// Close stops the server: SIGTERM to its PID, then, if it has not exited
// within a grace period, SIGKILL to the same PID. It waits for the process
// and is safe to call more than once; later calls return the first result.
func (s *NodeServer) Close() error {
	s.once.Do(func() { s.close = s.stop() })
	return s.close
}

func (s *NodeServer) stop() error {
	select {
	case <-s.done:
		return s.exitError()
	default:
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		<-s.done
		return s.exitError()
	}
	timer := time.NewTimer(closeGrace)
	defer timer.Stop()
	select {
	case <-s.done:
		return s.exitError()
	case <-timer.C:
		_ = s.cmd.Process.Kill()
		<-s.done
		return s.failure("ignored SIGTERM and was killed")
	}
}

func (s *NodeServer) exitError() error {
	if s.err != nil {
		return s.failure("exited")
	}
	return nil
}
