package server

import (
	"errors"
	"sync"
	"sync/atomic"

	"github.com/zishang520/socket.io/servers/socket/v3"

	"github.com/gatecrash/gatecrash/verifiers"
)

// binding is what an accepted socket carries (socket.Data): the identity its
// credential proved, for the namespace it was proved on.
type binding struct {
	id      verifiers.Identity
	nsp     string
	sock    *socket.Socket
	revoked atomic.Bool // set by Revoke, possibly before the socket connected
}

// errExpired refuses events that arrive after the credential expired.
var errExpired = errors.New("credential expired")

// onConnection runs for every accepted socket of every namespace: it binds
// the identity's events, schedules the disconnection at expiry and makes the
// socket revocable.
func (s *Server) onConnection(args ...any) {
	sock, ok := args[0].(*socket.Socket)
	if !ok {
		return
	}
	b, ok := sock.Data().(*binding)
	if !ok {
		// Unreachable while guard is the first middleware; refuse anyway.
		sock.Disconnect(false)
		return
	}
	es := s.sessions.get(sock.Conn().Id())
	es.end()
	s.sessions.joined(es)
	s.metrics.connected.Inc()
	_ = sock.On("whoami", s.whoami(sock, b))
	_ = sock.On("echo", echo)

	var timer Timer
	if exp := b.id.Expires; !exp.IsZero() {
		timer = s.cfg.Clock.AfterFunc(exp.Sub(s.cfg.Clock.Now()), func() { s.kick(sock) })
		sock.Use(func(_ []any, next func(error)) {
			if !s.cfg.Clock.Now().Before(exp) {
				next(errExpired)
				s.kick(sock)
				return
			}
			next(nil)
		})
	}
	_ = sock.On("disconnect", func(...any) {
		if timer != nil {
			timer.Stop()
		}
		s.revocable.remove(b)
		s.metrics.connected.Dec()
	})
	if b.revoked.Load() {
		// Revoked between the decision and now: Revoke's own kick may have
		// run before the socket was connected.
		s.kick(sock)
	}
}

// track makes an accepted socket revocable from the moment of the decision,
// before the client can learn it was accepted, so a Revoke issued as soon
// as the client sees its CONNECT answer finds it. A socket the library
// drops before connecting is forgotten when its session closes.
func (s *Server) track(b *binding) {
	if b.id.CredentialID == "" {
		return
	}
	s.revocable.add(b)
	_ = b.sock.Conn().Once("close", func(...any) { s.revocable.remove(b) })
}

// kick disconnects sock from its namespace. Disconnect(false) sends the
// namespace DISCONNECT packet ("41/nsp,") before closing the socket, so the
// client learns why; Disconnect(true) would close the transport and lose
// that packet (CASES.md H-01).
func (s *Server) kick(sock *socket.Socket) {
	sock.Enqueue(func() { sock.Disconnect(false) })
}

// whoami answers the "whoami" event's ack with the bound identity:
// {"sub": subject, "method": method, "nsp": namespace}.
func (s *Server) whoami(sock *socket.Socket, b *binding) func(...any) {
	reply := map[string]any{
		"sub":    b.id.Subject,
		"method": string(b.id.Method),
		"nsp":    b.nsp,
	}
	return func(args ...any) {
		if ack, ok := lastAck(args); ok {
			ack([]any{reply}, nil)
		}
	}
}

// echo acknowledges with the event's own arguments, for round-trip timing.
func echo(args ...any) {
	if ack, ok := lastAck(args); ok {
		ack(args[:len(args)-1], nil)
	}
}

func lastAck(args []any) (socket.Ack, bool) {
	if len(args) == 0 {
		return nil, false
	}
	ack, ok := args[len(args)-1].(socket.Ack)
	return ack, ok
}

// revocations indexes live sockets by credential id.
type revocations struct {
	mu   sync.Mutex
	byID map[string]map[*binding]struct{}
}

func (r *revocations) add(b *binding) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byID == nil {
		r.byID = make(map[string]map[*binding]struct{})
	}
	set := r.byID[b.id.CredentialID]
	if set == nil {
		set = make(map[*binding]struct{}, 1)
		r.byID[b.id.CredentialID] = set
	}
	set[b] = struct{}{}
}

func (r *revocations) remove(b *binding) {
	id := b.id.CredentialID
	if id == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.byID[id], b)
	if len(r.byID[id]) == 0 {
		delete(r.byID, id)
	}
}

func (r *revocations) take(id string) []*binding {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*binding, 0, len(r.byID[id]))
	for b := range r.byID[id] {
		out = append(out, b)
	}
	delete(r.byID, id)
	return out
}

// Revoke disconnects, on every namespace, the sockets accepted with the
// credential whose Identity.CredentialID is credentialID, and returns how
// many it disconnected. Call it after revoking the credential in its store
// (a jti denylist, an API key store, a session logout), so that it is not
// accepted again. Each client receives the namespace DISCONNECT.
func (s *Server) Revoke(credentialID string) int {
	if credentialID == "" {
		return 0
	}
	bs := s.revocable.take(credentialID)
	for _, b := range bs {
		b.revoked.Store(true)
		s.kick(b.sock)
	}
	return len(bs)
}
