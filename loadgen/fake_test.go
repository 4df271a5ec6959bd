package loadgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gorilla/websocket"
)

// fakeMode selects how the fake Engine.IO server behaves.
type fakeMode int

const (
	fakeGood             fakeMode = iota // speaks the protocol, authenticates {"token":"good:<sub>"}
	fakeGarbage                          // sends garbage instead of the open packet
	fakeOversize                         // sends a 2 MiB frame instead of the open packet
	fakeSilent                           // upgrades, then says nothing
	fakeHTTP500                          // answers every request with 500
	fakeAbrupt                           // upgrades, then closes the TCP connection
	fakeBinary                           // sends a binary frame instead of the open packet
	fakeRejectNoData                     // answers CONNECT with CONNECT_ERROR and no data
	fakeCloseOnConnect                   // closes the TCP connection when CONNECT arrives
	fakeWrongSub                         // whoami names another subject
	fakeSilentConnect                    // never answers CONNECT
	fakePingFirst                        // sends a ping before answering CONNECT
	fakeGarbageAfterOpen                 // sends a malformed Socket.IO packet after CONNECT
)

// fakeServer is an Engine.IO v4 / Socket.IO v5 server written for the tests:
// small, scriptable, and hostile on demand.
type fakeServer struct {
	*httptest.Server
	mode     fakeMode
	upgrader websocket.Upgrader
	sessions atomic.Int64
	polls    atomic.Int64
	// lastHeader is the Authorization header of the session-opening request.
	lastHeader atomic.Value
	// lastQuery is the "token" query value of that request.
	lastQuery atomic.Value
}

func newFakeServer(t testing.TB, mode fakeMode) *fakeServer {
	f := startFake(mode)
	t.Cleanup(f.Close)
	return f
}

func startFake(mode fakeMode) *fakeServer {
	f := &fakeServer{mode: mode}
	f.upgrader = websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

func newFakeTLSServer(t testing.TB) *fakeServer {
	f := &fakeServer{mode: fakeGood}
	f.upgrader = websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024}
	f.Server = httptest.NewTLSServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

const fakeOpen = `0{"sid":"%s","upgrades":["websocket"],"pingInterval":25000,` +
	`"pingTimeout":20000,"maxPayload":1000000}`

func (f *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	if f.mode == fakeHTTP500 {
		http.Error(w, "boom", http.StatusInternalServerError)
		return
	}
	if r.URL.Path == "/floor" {
		f.serveFloor(w, r)
		return
	}
	q := r.URL.Query()
	if r.URL.Path != "/socket.io/" || q.Get("EIO") != "4" {
		http.Error(w, `{"code":0,"message":"Transport unknown"}`, http.StatusBadRequest)
		return
	}
	if q.Get("sid") == "" {
		f.lastHeader.Store(r.Header.Get("Authorization"))
		f.lastQuery.Store(q.Get("token"))
	}
	switch q.Get("transport") {
	case "polling":
		f.polls.Add(1)
		sid := fmt.Sprint("s", f.sessions.Add(1))
		// Bind the session to a cookie, as the hardened reference server does.
		http.SetCookie(w, &http.Cookie{Name: "bind", Value: sid})
		fmt.Fprintf(w, fakeOpen, sid)
	case "websocket":
		if c, err := r.Cookie("bind"); q.Get("sid") != "" && (err != nil || c.Value != q.Get("sid")) {
			http.Error(w, "session not bound to this client", http.StatusForbidden)
			return
		}
		f.serveWS(w, r, q.Get("sid"))
	default:
		http.Error(w, "bad transport", http.StatusBadRequest)
	}
}

func (f *fakeServer) serveWS(w http.ResponseWriter, r *http.Request, sid string) {
	ws, err := f.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer ws.Close()
	if sid != "" {
		if _, m, err := ws.ReadMessage(); err != nil || string(m) != "2probe" {
			return
		}
		ws.WriteMessage(websocket.TextMessage, []byte("3probe"))
		if _, m, err := ws.ReadMessage(); err != nil || string(m) != "5" {
			return
		}
	} else if !f.sendOpen(ws) {
		return
	}
	f.session(ws)
}

// sendOpen sends the open packet, or the hostile replacement; it reports
// whether the session goes on.
func (f *fakeServer) sendOpen(ws *websocket.Conn) bool {
	switch f.mode {
	case fakeGarbage:
		ws.WriteMessage(websocket.TextMessage, []byte("\x00\xffgarbage"))
	case fakeOversize:
		ws.WriteMessage(websocket.TextMessage, bytes.Repeat([]byte("4"), 2<<20))
	case fakeBinary:
		ws.WriteMessage(websocket.BinaryMessage, []byte{4, 1, 2})
	case fakeSilent:
		ws.ReadMessage() // until the client gives up
		return false
	case fakeAbrupt:
		return false
	default:
		sid := fmt.Sprint("w", f.sessions.Add(1))
		ws.WriteMessage(websocket.TextMessage, fmt.Appendf(nil, fakeOpen, sid))
		return true
	}
	ws.ReadMessage()
	return false
}

// session answers CONNECT and whoami/echo events until the client leaves.
func (f *fakeServer) session(ws *websocket.Conn) {
	subs := map[string]string{}
	for range 10000 {
		_, m, err := ws.ReadMessage()
		if err != nil {
			return
		}
		s := string(m)
		switch {
		case s == "3" || s == "5" || strings.HasPrefix(s, "41"):
		case strings.HasPrefix(s, "40"):
			if !f.connect(ws, s[2:], subs) {
				return
			}
		case strings.HasPrefix(s, "42"):
			f.event(ws, s[2:], subs)
		default:
			return
		}
	}
}

func splitNsp(s string) (nsp, rest string) {
	if !strings.HasPrefix(s, "/") {
		return "", s
	}
	i := strings.IndexByte(s, ',')
	if i < 0 {
		return s + ",", ""
	}
	return s[:i+1], s[i+1:]
}

func (f *fakeServer) connect(ws *websocket.Conn, s string, subs map[string]string) bool {
	nsp, auth := splitNsp(s)
	send := func(frame string) { ws.WriteMessage(websocket.TextMessage, []byte(frame)) }
	switch f.mode {
	case fakeRejectNoData:
		send("44" + nsp)
		return true
	case fakeCloseOnConnect:
		return false
	case fakeSilentConnect:
		return true
	case fakePingFirst:
		send("2")
	}
	var a struct{ Token string }
	json.Unmarshal([]byte(auth), &a)
	if !strings.HasPrefix(a.Token, "good:") {
		send("44" + nsp + `{"message":"unauthorized","data":{"code":"bad_signature"}}`)
		return true
	}
	send("40" + nsp + `{"sid":"nsid"}`)
	if f.mode == fakeGarbageAfterOpen {
		send("42" + nsp + `{"not":"an array"}`)
	}
	subs[nsp] = strings.TrimPrefix(a.Token, "good:")
	return true
}

// event acks whoami with the namespace's subject and echo with its argument.
func (f *fakeServer) event(ws *websocket.Conn, s string, subs map[string]string) {
	nsp, rest := splitNsp(s)
	i := strings.IndexByte(rest, '[')
	if i <= 0 {
		return
	}
	id, args := rest[:i], rest[i:]
	var reply string
	switch {
	case strings.HasPrefix(args, `["whoami"`):
		sub := subs[nsp]
		if f.mode == fakeWrongSub {
			sub = "mallory"
		}
		reply = fmt.Sprintf(`[{"sub":%q,"method":"fake","nsp":%q}]`, sub, nspName(nsp))
	case strings.HasPrefix(args, `["echo",`):
		reply = "[" + args[len(`["echo",`):]
	default:
		return
	}
	ws.WriteMessage(websocket.TextMessage, []byte("43"+nsp+id+reply))
}

func nspName(prefix string) string {
	if prefix == "" {
		return "/"
	}
	return strings.TrimSuffix(prefix, ",")
}

// serveFloor echoes websocket messages: the bare upgrade-and-message
// exchange the client's cost is compared with.
func (f *fakeServer) serveFloor(w http.ResponseWriter, r *http.Request) {
	ws, err := f.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer ws.Close()
	for range 10000 {
		typ, m, err := ws.ReadMessage()
		if err != nil {
			return
		}
		ws.WriteMessage(typ, m)
	}
}
