package main

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// TestSignalContext_SecondInterruptQuits: the first interrupt cancels the
// context (the run winds down and writes its results); when winding down
// hangs, a second interrupt ends the process. The test runs itself as a
// child that hangs after its context ends.
func TestSignalContext_SecondInterruptQuits(t *testing.T) {
	if os.Getenv("GATECRASH_SIGNAL_CHILD") == "1" {
		signalContext(os.Stdout) // the hint comes after the default handling is back
		os.Stdout.WriteString("ready\n")
		time.Sleep(time.Minute) // a wind-down that hangs
		os.Exit(0)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSignalContext_SecondInterruptQuits$")
	cmd.Env = append(os.Environ(), "GATECRASH_SIGNAL_CHILD=1")
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	defer cmd.Process.Kill()
	waitLine(t, pr, "ready")
	cmd.Process.Signal(os.Interrupt)
	waitLine(t, pr, "gatecrash: interrupted: writing what was collected (interrupt again to quit now)")
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGINT {
			t.Errorf("child ended with %v: want killed by the second SIGINT", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the second interrupt did not end the process")
	}
}

// waitLine reads r until a line equal to want, failing t after a bound.
func waitLine(t *testing.T, r *os.File, want string) {
	t.Helper()
	r.SetReadDeadline(time.Now().Add(20 * time.Second))
	var buf []byte
	one := make([]byte, 1)
	for {
		if _, err := r.Read(one); err != nil {
			t.Fatalf("waiting for %q: %v (read %q)", want, err, buf)
		}
		if one[0] != '\n' {
			buf = append(buf, one[0])
			continue
		}
		if string(buf) == want {
			return
		}
		buf = buf[:0]
	}
}
