package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
)

// bindCookie is the cookie that binds a polling Engine.IO session to the
// client that opened it.
const bindCookie = "gc_bind"

type bindKey struct{}

// httpGuard runs before the Engine.IO handler on every request:
//
//   - Origin: a request carrying the session cookie from an Origin that is
//     neither the server's own nor in AllowedOrigins gets 403 (cross-site
//     WebSocket hijacking, CASES.md E-08, G-08). Requests without an Origin
//     (non-browser clients) pass: they cannot be driven by another site.
//     A same-origin request has its Origin header removed before the engine
//     sees it (same-origin needs no CORS); the engine refuses a websocket
//     handshake from any other Origin not in AllowedOrigins (400), with or
//     without a cookie.
//   - Pending bound: a new Engine.IO session beyond Limits.MaxPendingSessions
//     gets 503.
//   - Session binding: the Engine.IO sid travels in URLs and is not a
//     secret, yet with the library's defaults any request naming a sid acts
//     as that session (CASES.md V9, G-06). The handshake of a polling
//     session therefore sets a random HttpOnly cookie, remembered on the
//     session's first request; every later request naming that sid (polling
//     GET/POST, websocket upgrade) must present it, or gets 403. Websocket
//     sessions need no cookie: they make no later requests.
//
// Known limit: a polling client that drops cookies (Node's socket.io-client
// without withCredentials, or a browser refusing third-party cookies) cannot
// continue its session; it should use websocket, or keep cookies.
func (s *Server) httpGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		hardened := s.cfg.Profile == ProfileHardened
		if hardened && !s.originAllowed(r) {
			http.Error(w, "forbidden origin", http.StatusForbidden)
			return
		}
		r = sameOriginStripped(r)
		sid := q.Get("sid")
		switch {
		case sid == "" && s.sessions.count() >= int64(s.cfg.Limits.MaxPendingSessions):
			http.Error(w, "too many pending sessions", http.StatusServiceUnavailable)
			return
		case sid == "" && hardened && q.Get("transport") == "polling":
			r = s.bindNewSession(w, r)
		case sid != "" && hardened && !s.boundTo(sid, r):
			http.Error(w, "session not bound to this client", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// bindNewSession sets the binding cookie and remembers it on the request.
func (s *Server) bindNewSession(w http.ResponseWriter, r *http.Request) *http.Request {
	var raw [18]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	secret := base64.RawURLEncoding.EncodeToString(raw[:])
	http.SetCookie(w, &http.Cookie{
		Name:     bindCookie,
		Value:    secret,
		Path:     s.io.Path() + "/",
		HttpOnly: true,
		Secure:   r.TLS != nil,
		SameSite: http.SameSiteStrictMode,
	})
	return r.WithContext(context.WithValue(r.Context(), bindKey{}, secret))
}

// boundTo reports whether r may act on Engine.IO session sid. An unknown
// sid passes: the engine answers it with 400.
func (s *Server) boundTo(sid string, r *http.Request) bool {
	conn, ok := s.io.Engine().Clients().Load(sid)
	if !ok {
		return true
	}
	secret, _ := conn.Request().Request().Context().Value(bindKey{}).(string)
	if secret == "" {
		return true // a websocket session: nothing to continue over polling
	}
	c, err := r.Cookie(bindCookie)
	return err == nil && subtle.ConstantTimeCompare([]byte(c.Value), []byte(secret)) == 1
}

// originAllowed applies the Origin rule to cookie-carrying requests.
func (s *Server) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	if _, err := r.Cookie(s.cfg.SessionCookie); err != nil {
		return true // no cookie credential: nothing a foreign site could ride on
	}
	return s.originListed(origin, r)
}

// originListed reports whether origin is the server's own or allowed.
func (s *Server) originListed(origin string, r *http.Request) bool {
	return slices.Contains(s.cfg.AllowedOrigins, origin) || sameOrigin(origin, r)
}

// sameOrigin reports whether origin is the origin r was sent to.
func sameOrigin(origin string, r *http.Request) bool {
	u, err := url.Parse(origin)
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return err == nil && u.Scheme == scheme && u.Host == r.Host
}

// sameOriginStripped returns r without its Origin header when that Origin is
// the server's own.
func sameOriginStripped(r *http.Request) *http.Request {
	origin := r.Header.Get("Origin")
	if origin == "" || !sameOrigin(origin, r) {
		return r
	}
	r2 := r.Clone(r.Context())
	r2.Header.Del("Origin")
	return r2
}
