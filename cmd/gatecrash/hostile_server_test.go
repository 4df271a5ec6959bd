package main

import (
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// hostileMode is how a test server misbehaves.
type hostileMode string

const (
	modeGarbageHTTP  hostileMode = "garbage-http"  // 200 and garbage to every request
	modeUpgradeClose hostileMode = "upgrade-close" // 101, then the connection closes
	modeAbsurdOpen   hostileMode = "absurd-open"   // pingInterval 1e300, pingTimeout -5, maxPayload -1; accepts all
	modeZeroPing     hostileMode = "zero-ping"     // pingInterval 0, pingTimeout 0; accepts all
	modeAcceptAll    hostileMode = "accept-all"    // every CONNECT accepted, whoami truthful
	modeWrongNsp     hostileMode = "wrong-nsp"     // answers each CONNECT for another namespace
	modeSilent       hostileMode = "silent"        // opens, then never answers
	modeFlood        hostileMode = "flood"         // opens, then floods messages and pings
	modeWrongSubject hostileMode = "wrong-subject" // accepts, whoami names mallory
	modeGarbageOpen  hostileMode = "garbage-open"  // a text frame of garbage instead of the open packet
	modeHTTPSilent   hostileMode = "http-silent"   // reads the request, never answers it
)

// hostileServer is a tiny Engine.IO v4 / Socket.IO v5 server on 127.0.0.1
// that misbehaves as its mode says. It speaks websocket only.
type hostileServer struct {
	*httptest.Server
	mode hostileMode
	up   websocket.Upgrader
}

func startHostile(t *testing.T, mode hostileMode) *hostileServer {
	t.Helper()
	h := &hostileServer{mode: mode}
	h.Server = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.Close)
	return h
}

func (h *hostileServer) serve(w http.ResponseWriter, r *http.Request) {
	switch h.mode {
	case modeGarbageHTTP:
		w.Write([]byte("\x00\x01<html>not socket.io</html>"))
		return
	case modeHTTPSilent:
		select { // bounded: the client gives up, or the test server closes
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
		return
	}
	c, err := h.up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	switch h.mode {
	case modeUpgradeClose:
		return
	case modeGarbageOpen:
		c.WriteMessage(websocket.TextMessage, []byte("}{ not an open packet"))
		time.Sleep(100 * time.Millisecond)
		return
	}
	open := `0{"sid":"s1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`
	switch h.mode {
	case modeAbsurdOpen:
		open = `0{"sid":"s1","upgrades":[],"pingInterval":1e300,"pingTimeout":-5,"maxPayload":-1}`
	case modeZeroPing:
		open = `0{"sid":"s1","upgrades":[],"pingInterval":0,"pingTimeout":0,"maxPayload":0}`
	}
	if c.WriteMessage(websocket.TextMessage, []byte(open)) != nil {
		return
	}
	switch h.mode {
	case modeSilent:
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		for { // read until the client gives up; bounded by the deadline
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	case modeFlood:
		h.flood(c)
		return
	}
	h.answer(c)
}

// flood writes messages without reading, up to a bound of frames and time.
func (h *hostileServer) flood(c *websocket.Conn) {
	big := "42[\"spam\",\"" + strings.Repeat("x", 64<<10) + "\"]"
	end := time.Now().Add(10 * time.Second)
	c.SetWriteDeadline(end)
	for i := 0; i < 200_000 && time.Now().Before(end); i++ {
		msg := "2"
		if i%4 == 0 {
			msg = big
		}
		if c.WriteMessage(websocket.TextMessage, []byte(msg)) != nil {
			return
		}
	}
}

// answer reads Socket.IO packets and answers CONNECTs and whoami events
// as the mode says, for at most 10 s or 1000 packets.
func (h *hostileServer) answer(c *websocket.Conn) {
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	subs := map[string]string{}
	for range 1000 {
		_, msg, err := c.ReadMessage()
		if err != nil {
			return
		}
		s := string(msg)
		switch {
		case strings.HasPrefix(s, "40"):
			nsp, payload := splitNsp(s[2:])
			subs[nsp] = subjectOf(payload)
			reply := "40" + nspPrefix(nsp) + `{"sid":"x"}`
			if h.mode == modeWrongNsp {
				other := "/"
				if nsp == "/" {
					other = "/elsewhere"
				}
				reply = "40" + nspPrefix(other) + `{"sid":"x"}`
			}
			c.WriteMessage(websocket.TextMessage, []byte(reply))
		case strings.HasPrefix(s, "42"):
			nsp, rest := splitNsp(s[2:])
			id := rest[:len(rest)-len(strings.TrimLeft(rest, "0123456789"))]
			sub := subs[nsp]
			if h.mode == modeWrongSubject {
				sub = "mallory"
			}
			ack, _ := json.Marshal([]any{map[string]string{"sub": sub, "nsp": nsp}})
			c.WriteMessage(websocket.TextMessage, []byte("43"+nspPrefix(nsp)+id+string(ack)))
		}
	}
}

// splitNsp splits "/admin,rest" into "/admin" and "rest"; a packet without
// a namespace is for "/".
func splitNsp(s string) (string, string) {
	if !strings.HasPrefix(s, "/") {
		return "/", s
	}
	if i := strings.IndexByte(s, ','); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

func nspPrefix(nsp string) string {
	if nsp == "/" {
		return ""
	}
	return nsp + ","
}

// subjectOf reads the unverified "sub" of the JWT in a CONNECT's auth.
func subjectOf(payload string) string {
	var auth struct {
		Token string `json:"token"`
	}
	if json.Unmarshal([]byte(payload), &auth) != nil {
		return ""
	}
	parts := strings.Split(auth.Token, ".")
	if len(parts) != 3 {
		return ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var claims struct {
		Sub string `json:"sub"`
	}
	json.Unmarshal(raw, &claims)
	return claims.Sub
}

// hostileAddr is the server's host:port, for scenario URLs.
func (h *hostileServer) hostileAddr() string {
	return h.Listener.Addr().(*net.TCPAddr).String()
}
