package redistest

import (
	"bytes"
	"fmt"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// outputLimit is how much of the server's log a process keeps (the tail),
// for error messages.
const outputLimit = 8 << 10

// process is one started redis-server and the goroutine waiting for it.
type process struct {
	cmd  *exec.Cmd
	log  *tailBuffer
	done chan struct{} // closed when the process has exited
	err  error         // Wait's result, set before done closes
}

func launch(path string, args []string) (*process, error) {
	p := &process{cmd: exec.Command(path, args...), log: &tailBuffer{}, done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("redistest: start redis-server: %w", err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// end signals this process, by its PID, and waits for it to exit; a process
// still alive stopTimeout after SIGTERM gets SIGKILL. A paused process is
// continued first, so SIGTERM can take effect.
func (p *process) end(sig syscall.Signal) error {
	_ = p.cmd.Process.Signal(syscall.SIGCONT)
	if err := p.cmd.Process.Signal(sig); err != nil {
		select {
		case <-p.done: // already gone
			return nil
		default:
			return fmt.Errorf("redistest: signal %d: %w", p.cmd.Process.Pid, err)
		}
	}
	select {
	case <-p.done:
		return nil
	case <-time.After(stopTimeout):
	}
	_ = p.cmd.Process.Kill()
	<-p.done
	return fmt.Errorf("redistest: redis-server %d ignored %v for %s; killed", p.cmd.Process.Pid, sig, stopTimeout)
}

func (p *process) output() string { return p.log.String() }

// tailBuffer keeps the last outputLimit bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if over := b.buf.Len() - outputLimit; over > 0 {
		b.buf.Next(over)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
