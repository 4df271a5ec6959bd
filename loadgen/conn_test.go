package loadgen

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestDialConnectWhoami(t *testing.T) {
	tests := []struct {
		name      string
		transport Transport
	}{
		{name: "websocket only", transport: WebSocket},
		{name: "polling with upgrade", transport: PollingUpgrade},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeServer(t, fakeGood)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			hs := &Handshake{Transport: tt.transport, Header: http.Header{"Authorization": {"Bearer x"}},
				Query: url.Values{"token": {"q t"}}}
			c, err := Dial(ctx, f.URL, hs, nil)
			if err != nil {
				t.Fatalf("Dial: %v", err)
			}
			defer c.Close()
			if c.Open().SID == "" || c.Timings().Upgrade <= 0 || c.Timings().Dial <= 0 {
				t.Fatalf("open %+v timings %+v", c.Open(), c.Timings())
			}
			if got, _ := f.lastHeader.Load().(string); got != "Bearer x" {
				t.Fatalf("handshake Authorization = %q", got)
			}
			if got, _ := f.lastQuery.Load().(string); got != "q t" {
				t.Fatalf("handshake query token = %q", got)
			}
			if (f.polls.Load() == 1) != (tt.transport == PollingUpgrade) {
				t.Fatalf("polls = %d", f.polls.Load())
			}
			for _, nsp := range []string{"/", "/admin"} {
				sid, err := c.Connect(ctx, nsp, []byte(`{"token":"good:alice"}`))
				if err != nil || sid != "nsid" {
					t.Fatalf("Connect(%s) = %q, %v", nsp, sid, err)
				}
				ack, err := c.EmitWithAck(ctx, nsp, []byte(`["whoami"]`))
				if err != nil || string(ack) != `[{"sub":"alice","method":"fake","nsp":"`+nsp+`"}]` {
					t.Fatalf("whoami on %s = %s, %v", nsp, ack, err)
				}
			}
			if err := c.Disconnect("/admin"); err != nil {
				t.Fatalf("Disconnect: %v", err)
			}
			if _, err := c.EmitWithAck(ctx, "/", []byte(`["echo",1]`)); err != nil {
				t.Fatalf("/ after leaving /admin: %v", err)
			}
			_, err = c.Connect(ctx, "/api", []byte(`{"token":"bad"}`))
			var ce *ConnectError
			if !errors.As(err, &ce) || ce.Code != "bad_signature" || ce.Message != "unauthorized" {
				t.Fatalf("bad token: %v", err)
			}
		})
	}
}

// TestHostileServer checks that each kind of broken server yields the error
// the classification needs, promptly, on both transports.
func TestHostileServer(t *testing.T) {
	tests := []struct {
		name    string
		mode    fakeMode
		connect bool // the fault shows after the session opens
		want    error
	}{
		{name: "garbage frame", mode: fakeGarbage, want: ErrProtocol},
		{name: "oversized frame", mode: fakeOversize, want: ErrTooLarge},
		{name: "silence", mode: fakeSilent, want: context.DeadlineExceeded},
		{name: "binary frame", mode: fakeBinary, want: ErrBinary},
		{name: "abrupt close", mode: fakeAbrupt, want: ErrClosed},
		{name: "close on connect", mode: fakeCloseOnConnect, connect: true, want: ErrClosed},
		{name: "no connect answer", mode: fakeSilentConnect, connect: true, want: context.DeadlineExceeded},
		{name: "garbage after connect", mode: fakeGarbageAfterOpen, connect: true},
	}
	for _, tt := range tests {
		for _, tr := range []Transport{WebSocket, PollingUpgrade} {
			if tr == PollingUpgrade && !tt.connect {
				continue // the hostile open is sent on websocket-first sessions only
			}
			t.Run(tt.name+"/"+tr.String(), func(t *testing.T) {
				f := newFakeServer(t, tt.mode)
				ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
				defer cancel()
				err := dialAndConnect(ctx, f.URL, tr)
				if tt.want == nil {
					if err != nil {
						t.Fatalf("err = %v, want nil", err)
					}
					return
				}
				if !errors.Is(err, tt.want) {
					t.Fatalf("err = %v, want %v", err, tt.want)
				}
			})
		}
	}
}

func dialAndConnect(ctx context.Context, url string, tr Transport) error {
	c, err := Dial(ctx, url, &Handshake{Transport: tr}, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Connect(ctx, "/", []byte(`{"token":"good:a"}`))
	return err
}

func TestDialHTTPError(t *testing.T) {
	for _, tr := range []Transport{WebSocket, PollingUpgrade} {
		t.Run(tr.String(), func(t *testing.T) {
			f := newFakeServer(t, fakeHTTP500)
			_, err := Dial(context.Background(), f.URL, &Handshake{Transport: tr}, nil)
			var he *HTTPError
			if !errors.As(err, &he) || he.Status != 500 {
				t.Fatalf("err = %v, want HTTP 500", err)
			}
		})
	}
}

func TestConnectErrorWithoutData(t *testing.T) {
	f := newFakeServer(t, fakeRejectNoData)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := dialAndConnect(ctx, f.URL, WebSocket)
	var ce *ConnectError
	if !errors.As(err, &ce) || ce.Code != "" || ce.Namespace != "/" {
		t.Fatalf("err = %v, want empty ConnectError", err)
	}
}

func TestPingAnsweredWhileWaiting(t *testing.T) {
	f := newFakeServer(t, fakePingFirst)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := dialAndConnect(ctx, f.URL, WebSocket); err != nil {
		t.Fatalf("connect after ping: %v", err)
	}
}

func TestDialCancelled(t *testing.T) {
	f := newFakeServer(t, fakeSilent)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := Dial(ctx, f.URL, &Handshake{}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestDialRefused(t *testing.T) {
	f := newFakeServer(t, fakeGood)
	url := f.URL
	f.Close()
	_, err := Dial(context.Background(), url, &Handshake{}, nil)
	if !errors.Is(err, ErrDial) {
		t.Fatalf("err = %v, want ErrDial", err)
	}
}
