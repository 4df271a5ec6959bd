package main

import (
	"io"
	"testing"
)

// TestServeConfig_ReusePort: --reuseport reaches the server's configuration,
// and its absence leaves the address exclusive.
func TestServeConfig_ReusePort(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want bool
	}{
		{name: "flag given", args: []string{"--reuseport"}, want: true},
		{name: "flag absent", args: nil, want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd := newServeCmd()
			if err := cmd.ParseFlags(tc.args); err != nil {
				t.Fatal(err)
			}
			v, err := cmd.Flags().GetBool("reuseport")
			if err != nil {
				t.Fatal(err)
			}
			cfg, closeLog, err := serveConfig(serveFlags{reusePort: v, auditLog: ""}, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			closeLog()
			if got := cfg.Server.ReusePort; got != tc.want {
				t.Errorf("Server.ReusePort = %v, want %v", got, tc.want)
			}
		})
	}
}
