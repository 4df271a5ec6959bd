package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/loadgen"
)

// TestServe_DemoCredentialsWork starts `gatecrash serve` with a generated key,
// reads the demo JWT it prints, connects with it, and stops the server with
// the context, as SIGINT would.
func TestServe_DemoCredentialsWork(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", "",
			"--audit-log", ""}, pw, io.Discard)
		pw.Close()
	}()
	var url, token string
	sc := bufio.NewScanner(pr)
	for sc.Scan() && (url == "" || token == "") {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "gatecrash serve: Socket.IO at "); ok {
			url = strings.Fields(rest)[0]
		}
		if rest, ok := strings.CutPrefix(line, "demo JWT (roles [], 1 h): "); ok {
			token = rest
		}
	}
	go io.Copy(io.Discard, pr)
	if url == "" || token == "" {
		t.Fatalf("serve printed no URL or demo JWT (url %q)", url)
	}

	conn, err := loadgen.Dial(ctx, url, &loadgen.Handshake{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	auth, _ := json.Marshal(map[string]string{"token": token})
	if _, err := conn.Connect(ctx, "/", auth); err != nil {
		t.Fatalf("demo JWT refused on /: %v", err)
	}
	if _, err := conn.Connect(ctx, "/admin", auth); err == nil {
		t.Fatal("demo user JWT accepted on /admin, which requires role admin")
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on cancellation")
	}
}
