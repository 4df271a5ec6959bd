package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/gatecrash/gatecrash/distributed"
)

// TestWorkerCmd_NoCoordinator: a worker whose NATS server has no
// coordinator gives up after --join-timeout with an error saying so.
func TestWorkerCmd_NoCoordinator(t *testing.T) {
	srv, err := distributed.StartServer("")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "no coordinator", args: []string{"--join", srv.URL(), "--join-timeout", "300ms"},
			want: "no coordinator answered"},
		{name: "no nats server", args: []string{"--join", "nats://127.0.0.1:1"}, want: "join nats://127.0.0.1:1"},
		{name: "join missing", args: nil, want: `"join" not set`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := newWorkerCmd()
			var out bytes.Buffer
			cmd.SetOut(&out)
			cmd.SetErr(&out)
			cmd.SetArgs(tt.args)
			err := cmd.ExecuteContext(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one saying %q", err, tt.want)
			}
		})
	}
}
