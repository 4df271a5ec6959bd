package redistest

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"
)

// mustCommand sends one inline command and wants the first line of the
// answer to start with want.
func mustCommand(t *testing.T, s *Server, cmd, want string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", s.Addr(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := conn.Write([]byte(cmd + "\r\n")); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(line, want) {
		t.Fatalf("%s: answered %q, want %q", cmd, line, want)
	}
}
