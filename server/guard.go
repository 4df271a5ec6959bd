package server

import (
	"context"

	"github.com/zishang520/socket.io/servers/socket/v3"

	"github.com/gatecrash/gatecrash/verifiers"
)

// guardAll makes deny-by-default hold by construction. The library's
// Server.Use guards only "/" (CASES.md V1), so the auth middleware is put on
// "/" here and, through the new_namespace hook, on every namespace created
// later: namespaces of the policy, namespaces created at run time with Of,
// and dynamic children of pattern namespaces (the library emits
// new_namespace for each, synchronously, before the child's first CONNECT
// runs its middleware). It must run before any other namespace is created.
func (s *Server) guardAll() {
	s.guard(s.io.Sockets())
	_ = s.io.Sockets().On("new_namespace", func(args ...any) {
		if nsp, ok := args[0].(socket.Namespace); ok {
			s.guard(nsp)
		}
	})
}

// guard puts the auth middleware first on nsp and binds the accepted-socket
// handlers. Pattern parents never get it themselves, so a child, which
// copies its parent's middleware at creation (V11), runs it exactly once.
func (s *Server) guard(nsp socket.Namespace) {
	nsp.Fns().Unshift(s.authenticate)
	_ = nsp.On("connection", s.onConnection)
}

// authenticate is the namespace middleware. It answers every CONNECT within
// Limits.DecisionTimeout: verification runs in its own goroutine, and when
// the deadline passes first the CONNECT is rejected as "unavailable".
func (s *Server) authenticate(sock *socket.Socket, next func(*socket.ExtendedError)) {
	nsp := sock.Nsp().Name()
	rule := s.rules.Load().lookup(nsp)
	var creds []presented
	if rule != nil && !rule.public {
		creds = collect(rule, sock.Handshake().Auth, sock.Request().Request(),
			s.cfg.SessionCookie, s.cfg.Limits.MaxCredentialBytes)
	}
	if d, done := quickDecision(rule, creds); done {
		s.respond(sock, nsp, d, next)
		return
	}

	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.Limits.DecisionTimeout)
	stop := context.AfterFunc(ctx, func() {
		// Known limit: a verifier that ignores ctx keeps its goroutine until
		// it returns; the client has its answer regardless.
		s.respond(sock, nsp, decision{reason: verifiers.ReasonUnavailable, took: s.cfg.Limits.DecisionTimeout}, next)
	})
	go func() {
		defer cancel()
		d := s.verifyAll(ctx, rule, nsp, creds)
		if stop() {
			s.respond(sock, nsp, d, next)
		}
	}()
}

// respond records the decision and answers the CONNECT.
func (s *Server) respond(sock *socket.Socket, nsp string, d decision, next func(*socket.ExtendedError)) {
	s.record(sock, nsp, d)
	if d.accepted() {
		b := &binding{id: d.id, nsp: nsp, sock: sock}
		sock.SetData(b)
		s.track(b)
		s.sessions.get(sock.Conn().Id()).begin() // ended in onConnection
		next(nil)
		return
	}
	next(socket.NewExtendedError(rejectMessage(d.reason), map[string]any{"code": string(d.reason)}))
}
