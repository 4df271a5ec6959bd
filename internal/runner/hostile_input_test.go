package runner_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/loadgen"
)

// TestRun_CapacityRefusedUpFront: a plan that cannot fit the open-file
// limit is refused before the embedded server starts and before any
// credential is minted (minting 200,000 credentials takes long enough to
// look like a hang), with what would fit, and with no result: nothing was
// collected.
func TestRun_CapacityRefusedUpFront(t *testing.T) {
	sc := parse(t, `
name: too-many
namespaces: [{name: /, methods: [jwt]}]
credentials: {mix: [{kind: jwt}]}
load: {model: hold, sockets: 1000000, ramp: 1s, hold: 1s}
`)
	minted := false
	out, err := runner.Run(context.Background(), sc, runner.Options{
		BeforeStart: func(context.Context) error { minted = true; return nil },
	})
	if !errors.Is(err, loadgen.ErrCapacity) || !strings.Contains(err.Error(), "sockets fit") {
		t.Fatalf("err = %v: want ErrCapacity saying what fits", err)
	}
	if minted || out != nil {
		t.Errorf("minted %v, output %v: want a refusal before minting, with no result", minted, out)
	}
}

// TestRun_BadKeyMaterial: key and records files that are missing, empty,
// too short, garbage or not regular files are refused by field and file
// before the run starts, and never block (a FIFO) or read without end.
func TestRun_BadKeyMaterial(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	file := func(name, text string) string { return writeFile(t, dir, name, text) }
	tests := []struct {
		name string
		jwt  string // the credentials.jwt block
		file string // credentials.file
		mix  string
		want string
	}{
		{name: "secret file is a FIFO", jwt: "{secret_file: " + fifo + "}", mix: "{kind: jwt}",
			want: "credentials.jwt.secret_file: " + fifo + ": not a regular file"},
		{name: "secret file is a device", jwt: "{secret_file: " + os.DevNull + "}", mix: "{kind: jwt}",
			want: "credentials.jwt.secret_file: " + os.DevNull + ": not a regular file"},
		{name: "secret file empty", jwt: "{secret_file: " + file("empty.txt", "\n") + "}", mix: "{kind: jwt}",
			want: "credentials.jwt.secret_file: " + filepath.Join(dir, "empty.txt") + " is empty"},
		{name: "secret too short", jwt: "{secret_file: " + file("short.txt", "tiny\n") + "}", mix: "{kind: jwt}",
			want: "credentials.jwt.secret_file: 4 bytes: HS256 needs a secret of at least 32 bytes"},
		{name: "key file is a FIFO", jwt: "{alg: RS256, key_file: " + fifo + "}", mix: "{kind: jwt}",
			want: "credentials.jwt.key_file: " + fifo + ": not a regular file"},
		{name: "key file garbage", jwt: "{alg: RS256, key_file: " + file("k.pem", "\x00garbage") + "}",
			mix: "{kind: jwt}", want: "credentials.jwt.key_file: "},
		{name: "records file is a FIFO", file: fifo + ".csv", mix: "{kind: apikey}",
			want: fifo + ".csv: not a regular file"},
		{name: "records file bad line", file: file("r.csv",
			"method,value,subject,roles,status\napikey,k1,alice,,valid\nsession,,bob,,valid\n"),
			mix: "{kind: apikey}", want: filepath.Join(dir, "r.csv") + ":3: value and subject are required"},
	}
	if err := syscall.Mkfifo(fifo+".csv", 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "name: bad-keys\ntarget: {url: 'http://127.0.0.1:9'}\nnamespaces: [{name: /, methods: [jwt, apikey]}]\n" +
				"credentials:\n  mix: [" + tt.mix + "]\n"
			if tt.jwt != "" {
				src += "  jwt: " + tt.jwt + "\n"
			}
			if tt.file != "" {
				src += "  file: " + tt.file + "\n"
			}
			src += "load: {stages: [{duration: 1s, rate: 1}]}\n"
			sc := parse(t, src)
			done := make(chan error, 1)
			go func() {
				_, err := runner.Run(context.Background(), sc, runner.Options{})
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("err = %v, want it to contain %q", err, tt.want)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("Run blocked on the input file")
			}
		})
	}
}

// TestRun_EmbeddedUsesScenarioKey: with the embedded server, a key the
// scenario gives is used (it was ignored, so a broken key file passed
// unnoticed and the run proved nothing about it): a bad one is refused
// by field, a good one signs tokens the server accepts.
func TestRun_EmbeddedUsesScenarioKey(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string { return writeFile(t, dir, name, text) }
	tests := []struct {
		name, jwt, want string
	}{
		{name: "short secret file", jwt: "{secret_file: " + write("short", "tiny") + "}",
			want: "credentials.jwt.secret_file: 4 bytes: HS256 needs a secret of at least 32 bytes"},
		{name: "garbage key file", jwt: "{alg: ES256, key_file: " + write("k.pem", "garbage") + "}",
			want: "credentials.jwt.key_file: "},
		{name: "good secret file", jwt: "{secret_file: " + write("good", strings.Repeat("k", 40)+"\n") + "}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := parse(t, "name: key\nnamespaces: [{name: /, methods: [jwt]}]\ncredentials:\n  jwt: "+tt.jwt+
				"\n  mix: [{kind: jwt}, {kind: jwt-bad-signature}]\nload: {stages: [{duration: 300ms, rate: 20}]}\n")
			out, err := runner.Run(context.Background(), sc, runner.Options{})
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkMatrix(t, out.Result)
		})
	}
}

// writeFile writes text to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
