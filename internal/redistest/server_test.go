package redistest

import (
	"errors"
	"os"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func TestServerLifecycle(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		end     func(*Server) error
		persist bool // data written before end survives the restart
	}{
		{name: "stop_restart_in_memory", end: (*Server).Stop},
		{name: "kill_restart_in_memory", end: (*Server).Kill},
		{name: "kill_restart_persistent", opts: Options{Persist: true}, end: (*Server).Kill, persist: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := Start(t, tc.opts)
			if s.PID() == 0 {
				t.Fatal("no PID for a running server")
			}
			mustCommand(t, s, "SET k v", "+OK")
			if err := tc.end(s); err != nil {
				t.Fatal(err)
			}
			if s.PID() != 0 || ping(s.Addr()) == nil {
				t.Fatal("server still answers after it ended")
			}
			if err := tc.end(s); !errors.Is(err, ErrNotRunning) {
				t.Fatalf("second end: %v, want ErrNotRunning", err)
			}
			if err := s.Restart(); err != nil {
				t.Fatal(err)
			}
			want := "$-1" // nil bulk string: the key is gone
			if tc.persist {
				want = "$1"
			}
			mustCommand(t, s, "GET k", want)
		})
	}
}

func TestServerPauseResume(t *testing.T) {
	s := Start(t, Options{})
	if err := s.Pause(); err != nil {
		t.Fatal(err)
	}
	if ping(s.Addr()) == nil {
		t.Fatal("paused server answered")
	}
	if err := s.Resume(); err != nil {
		t.Fatal(err)
	}
	if err := ping(s.Addr()); err != nil {
		t.Fatalf("resumed server: %v", err)
	}
	if err := s.Restart(); err == nil {
		t.Fatal("restart of a running server accepted")
	}
}

func TestSharedIsOneServer(t *testing.T) {
	a, b := Shared(t), Shared(t)
	if a != b || a.PID() == 0 {
		t.Fatalf("Shared returned %p and %p (pid %d)", a, b, a.PID())
	}
}
