package audit

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gatecrash/gatecrash/verifiers"
)

// fault is a defect the fake server can be given, one per case kind the
// audit must catch. The zero fault is a correct server.
type fault struct {
	mainOnly       bool          // F-01: only "/" is guarded (CASES.md V1)
	dynamic        bool          // F-09, F-03: unknown namespaces are created, unguarded
	aliases        bool          // F-09: routing folds case and slashes, the guard matches exact names
	noRoleCheck    bool          // C-16: roles are never checked
	lenientPayload bool          // a token is taken from any JSON shape
	trailing       bool          // bytes after the auth object are ignored
	noSizeCap      bool          // frames of any size are read
	sessionTrust   bool          // F-06, F-07: a session that joined once is trusted after
	eventsUnjoined bool          // F-08: events on namespaces never joined are handled
	closeReject    bool          // rejections close the transport
	silent         bool          // rejections are never sent (A-16, V12)
	slow           time.Duration // every decision waits this long
	leak           bool          // rejection messages say why
}

// fakeServer is a websocket-only Engine.IO v4 / Socket.IO v5 server, just
// large enough to authenticate CONNECTs with a real JWT verifier, with the
// faults the tests give it.
type fakeServer struct {
	*httptest.Server
	f     fault
	jwt   *verifiers.JWT
	roles map[string]string // namespace → required role ("" none)
	conns atomic.Int64
}

func startFake(t *testing.T, f fault, key *verifiers.SigningKey) *fakeServer {
	t.Helper()
	v, err := verifiers.NewJWT(verifiers.JWTConfig{Keys: []verifiers.VerificationKey{key.VerificationKey()},
		Issuer: "gatecrash", Audiences: []string{"gatecrash"}})
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeServer{f: f, jwt: v, roles: map[string]string{"/": "", "/admin": "admin"}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() { s.Close(); v.Close() })
	return s
}

var upgrader = websocket.Upgrader{}

func (s *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("transport") != "websocket" {
		http.Error(w, `{"code":0,"message":"Transport unknown"}`, http.StatusBadRequest)
		return
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer ws.Close()
	if !s.f.noSizeCap {
		ws.SetReadLimit(64 << 10)
	}
	sid := "fake" + string(rune('a'+s.conns.Add(1)%26))
	open := `0{"sid":"` + sid + `","upgrades":[],"pingInterval":60000,"pingTimeout":60000,"maxPayload":1000000}`
	if ws.WriteMessage(websocket.TextMessage, []byte(open)) != nil {
		return
	}
	c := &fakeConn{s: s, ws: ws, joined: map[string]bool{}}
	for {
		_, frame, err := ws.ReadMessage()
		if err != nil || !c.handle(string(frame)) {
			return
		}
	}
}

// fakeConn is one client of the fake server.
type fakeConn struct {
	s       *fakeServer
	ws      *websocket.Conn
	joined  map[string]bool
	trusted bool
}

// handle answers one frame; false closes the connection.
func (c *fakeConn) handle(frame string) bool {
	switch {
	case strings.HasPrefix(frame, "40"):
		return c.connect(splitPacket(frame[2:]))
	case strings.HasPrefix(frame, "42"):
		nsp, rest := splitPacket(frame[2:])
		if c.joined[nsp] || !c.s.f.eventsUnjoined {
			return c.joined[nsp]
		}
		i := strings.IndexByte(rest, '[')
		if i < 0 {
			return false
		}
		id := rest[:i]
		return c.send(string(packetFrame('3', nsp, id, []byte(`[{"handled":true}]`))))
	case frame == "3", frame == "2":
		return true
	}
	return false
}

// splitPacket splits "[/nsp,][id]data" into the namespace and the rest.
func splitPacket(s string) (nsp, rest string) {
	if !strings.HasPrefix(s, "/") {
		return "/", s
	}
	if i := strings.IndexByte(s, ','); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

func (c *fakeConn) send(frame string) bool {
	return c.ws.WriteMessage(websocket.TextMessage, []byte(frame)) == nil
}

// connect answers a CONNECT to nsp with payload.
func (c *fakeConn) connect(nsp, payload string) bool {
	f := c.s.f
	token, ok := c.s.token(strings.TrimLeft(payload, "0123456789"))
	if !ok {
		return false // the parser refuses the payload: close (V2)
	}
	role, known, guarded := c.s.route(nsp)
	if !known {
		return c.send(string(packetFrame('4', nsp, "", []byte(`{"message":"Invalid namespace"}`))))
	}
	if c.joined[nsp] && !f.sessionTrust {
		return false // a second CONNECT to a joined namespace closes the client (V5)
	}
	time.Sleep(f.slow)
	verified := c.s.verify(token, role)
	c.trusted = c.trusted || verified
	if !guarded || verified || (f.sessionTrust && c.trusted) {
		c.joined[nsp] = true
		return c.send(string(packetFrame('0', nsp, "", []byte(`{"sid":"s"}`))))
	}
	switch {
	case f.silent:
		return true
	case f.closeReject:
		return false
	case f.leak:
		return c.send(string(packetFrame('4', nsp, "", []byte(`{"message":"jwt signature invalid"}`))))
	}
	return c.send(string(packetFrame('4', nsp, "", []byte(`{"message":"unauthorized"}`))))
}

// token extracts the auth payload's token; false means the parser refuses
// the payload.
func (s *fakeServer) token(payload string) (string, bool) {
	if payload == "" {
		return "", true
	}
	var v any
	if s.f.trailing {
		if json.NewDecoder(strings.NewReader(payload)).Decode(&v) != nil {
			return "", false
		}
	} else if json.Unmarshal([]byte(payload), &v) != nil {
		return "", false
	}
	switch x := v.(type) {
	case nil:
		return "", true
	case map[string]any:
		tok, _ := x["token"].(string)
		return tok, true
	case string:
		return x, s.f.lenientPayload
	case []any:
		if len(x) == 1 && s.f.lenientPayload {
			tok, _ := x[0].(string)
			return tok, true
		}
	}
	return "", false
}

// route finds nsp's rule: its role, whether the namespace exists, and
// whether the guard applies.
func (s *fakeServer) route(nsp string) (role string, known, guarded bool) {
	if role, ok := s.roles[nsp]; ok {
		return role, true, !s.f.mainOnly || nsp == "/"
	}
	if s.f.aliases {
		folded := "/" + strings.Trim(strings.ToLower(nsp), "/")
		if _, ok := s.roles[folded]; ok {
			return "", true, false // the guard is keyed by the exact name
		}
	}
	return "", s.f.dynamic, false
}

// verify checks token and, unless the fault skips it, role.
func (s *fakeServer) verify(token, role string) bool {
	id, err := s.jwt.Verify(context.Background(), verifiers.Credential{Method: verifiers.MethodJWT,
		Source: verifiers.SourceAuth, Value: token})
	if err != nil {
		return false
	}
	return role == "" || s.f.noRoleCheck || id.HasRole(role)
}
