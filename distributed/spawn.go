package distributed

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"
)

// spawned are the local worker processes Run started.
type spawned struct {
	cmds []*exec.Cmd
	done []chan struct{}
}

// spawn starts n local workers joining url.
func spawn(argv []string, n int, url string, out io.Writer) (*spawned, error) {
	sp := &spawned{}
	for range n {
		args := append(append([]string(nil), argv[1:]...), "--join", url)
		cmd := exec.Command(argv[0], args...)
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			sp.stop(0)
			return nil, fmt.Errorf("distributed: start worker: %w", err)
		}
		ch := make(chan struct{})
		go func() { _ = cmd.Wait(); close(ch) }()
		sp.cmds, sp.done = append(sp.cmds, cmd), append(sp.done, ch)
	}
	return sp, nil
}

// stop waits up to grace for the workers to exit, then kills, by PID, those
// still running.
func (sp *spawned) stop(grace time.Duration) error {
	end := time.Now().Add(grace)
	var errs []error
	for i, cmd := range sp.cmds {
		t := time.NewTimer(time.Until(end))
		select {
		case <-sp.done[i]:
			t.Stop()
			continue
		case <-t.C:
		}
		if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
			errs = append(errs, fmt.Errorf("distributed: stop worker %d: %w", cmd.Process.Pid, err))
		}
		<-sp.done[i]
	}
	return errors.Join(errs...)
}
