package interop

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// Transport selects the transports client.js uses.
type Transport string

// The client transports.
const (
	// TransportWebSocket connects over websocket only (the default).
	TransportWebSocket Transport = "websocket"
	// TransportPolling connects over HTTP long-polling only.
	TransportPolling Transport = "polling"
	// TransportUpgrade starts on polling and upgrades to websocket; the run
	// ends with an EventUpgrade line.
	TransportUpgrade Transport = "upgrade"
)

// The kinds of ClientEvent.
const (
	EventConnect      = "connect"       // the namespace accepted the CONNECT
	EventConnectError = "connect_error" // the namespace answered CONNECT_ERROR
	EventTimeout      = "timeout"       // no answer within the client's timeout
	EventUpgrade      = "upgrade"       // the transport upgraded (TransportUpgrade)
)

// ClientOptions configures RunNodeClient. URL is required.
type ClientOptions struct {
	// URL is the server's base URL, on loopback ("http://127.0.0.1:port").
	URL string
	// Namespaces are connected in order over one Engine.IO session
	// (default "/").
	Namespaces []string
	// Auth is the CONNECT auth payload of every namespace; nil sends none.
	Auth map[string]any
	// Headers are extra headers of the handshake request (for example
	// "Authorization": "Bearer …").
	Headers map[string]string
	// Transport defaults to TransportWebSocket.
	Transport Transport
	// Timeout bounds the whole run (default 5 s).
	Timeout time.Duration
	// SkipWhoami leaves out the whoami event after each connect.
	SkipWhoami bool
	// Echo, when not nil, is sent as the arguments of an "echo" event with
	// ack after each connect; the ack's arguments come back in ClientEvent.Echo.
	Echo []any
	// Dir is the folder of client.js (default NodeDir()); Node the node
	// executable (default "node" on PATH).
	Dir, Node string
}

// Whoami is the server's answer to the whoami event.
type Whoami struct {
	Sub       string `json:"sub"`
	Method    string `json:"method"`
	Namespace string `json:"nsp"`
}

// ClientEvent is one outcome line of client.js.
type ClientEvent struct {
	// Event is EventConnect, EventConnectError, EventTimeout or EventUpgrade.
	Event string `json:"event"`
	// Namespace is the namespace the line is about (empty for an upgrade).
	Namespace string `json:"nsp"`
	// ID is the socket id of an accepted CONNECT.
	ID string `json:"id,omitempty"`
	// Transport is the transport in use when the line was written.
	Transport string `json:"transport,omitempty"`
	// Whoami is the whoami ack, nil when none came.
	Whoami *Whoami `json:"whoami,omitempty"`
	// Echo holds the echo ack's arguments.
	Echo []any `json:"echo,omitempty"`
	// Message and Data are a CONNECT_ERROR's message and data.
	Message string          `json:"message,omitempty"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// Code returns data.code of a CONNECT_ERROR, "" when there is none.
func (e ClientEvent) Code() string {
	var d struct {
		Code string `json:"code"`
	}
	if len(e.Data) == 0 || json.Unmarshal(e.Data, &d) != nil {
		return ""
	}
	return d.Code
}

// RunNodeClient runs client.js once and returns its outcome lines, one per
// namespace in order (and an EventUpgrade line last for TransportUpgrade).
// Cancelling ctx kills the client's process (by its PID).
func RunNodeClient(ctx context.Context, opts ClientOptions) ([]ClientEvent, error) {
	o := opts.withDefaults()
	if err := checkLoopbackURL(o.URL); err != nil {
		return nil, err
	}
	if err := nodeAvailableIn(o.Dir, o.Node); err != nil {
		return nil, err
	}
	args, err := o.args()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, o.Node, args...)
	cmd.Dir = o.Dir
	cmd.WaitDelay = time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%w: client.js: %w; stderr: %s", ErrPeerFailed, err, stderr.Bytes())
	}
	return parseEvents(out)
}

func (o ClientOptions) withDefaults() ClientOptions {
	if len(o.Namespaces) == 0 {
		o.Namespaces = []string{"/"}
	}
	if o.Transport == "" {
		o.Transport = TransportWebSocket
	}
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Second
	}
	if o.Dir == "" {
		o.Dir = NodeDir()
	}
	o.Node = nodeBinary(o.Node)
	return o
}

func (o ClientOptions) args() ([]string, error) {
	args := []string{filepath.Join(o.Dir, "client.js"), "--url", o.URL,
		"--transport", string(o.Transport),
		"--timeout", strconv.FormatInt(o.Timeout.Milliseconds(), 10)}
	for _, nsp := range o.Namespaces {
		args = append(args, "--nsp="+nsp)
	}
	if o.Auth != nil {
		b, err := json.Marshal(o.Auth)
		if err != nil {
			return nil, fmt.Errorf("interop: auth payload: %w", err)
		}
		args = append(args, "--auth="+string(b))
	}
	keys := make([]string, 0, len(o.Headers))
	for k := range o.Headers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		args = append(args, "--header="+k+": "+o.Headers[k])
	}
	if o.SkipWhoami {
		args = append(args, "--whoami=false")
	}
	if o.Echo != nil {
		b, err := json.Marshal(o.Echo)
		if err != nil {
			return nil, fmt.Errorf("interop: echo arguments: %w", err)
		}
		args = append(args, "--echo="+string(b))
	}
	return args, nil
}

func parseEvents(out []byte) ([]ClientEvent, error) {
	var events []ClientEvent
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e ClientEvent
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return events, fmt.Errorf("%w: client.js line %q: %w", ErrPeerFailed, sc.Bytes(), err)
		}
		events = append(events, e)
	}
	return events, sc.Err()
}

func checkLoopbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("interop: URL %q: %w", raw, err)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%w: %q", ErrNotLoopback, raw)
	}
	return nil
}
