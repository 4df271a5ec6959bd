package server

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/zishang520/socket.io/servers/engine/v3"
	"github.com/zishang520/socket.io/v3/pkg/types"
)

// connectBarrierWait bounds how long an incoming packet waits for an
// acceptance in flight on its session (see engineSession).
const connectBarrierWait = time.Second

// sessions tracks the live Engine.IO sessions: how many have not joined a
// namespace yet (the unauthenticated sessions Limits.MaxPendingSessions
// bounds; each ends at Limits.ConnectTimeout at the latest), and the connect
// barrier of each.
type sessions struct {
	pending atomic.Int64
	live    sync.Map // engine sid -> *engineSession
}

// engineSession is the server's state for one Engine.IO session.
//
// The connect barrier works around a race in zishang520 v3.0.6: on
// acceptance, the library writes the namespace CONNECT answer before it
// registers the socket with its client (namespace._doConnect calls
// socket._onconnect, then the callback that stores client.nsps). A client
// that emits as soon as it reads the answer can get its EVENT decoded in
// that window, and the library then closes the whole session as "invalid
// state" (seen in about one test run in ten on loopback, websocket and
// polling). So while an acceptance is in flight on a session, incoming
// packets wait (at most connectBarrierWait) until the library has
// registered the socket, which is when the namespace's "connection" event
// fires.
type engineSession struct {
	settled  atomic.Bool // joined a namespace, or closed
	inflight atomic.Int32
	mu       sync.Mutex
	idle     chan struct{} // closed when inflight drops to zero
}

// opened is the engine's "connection" listener. It runs after the Socket.IO
// server's own, so the client's "data" listener already exists and can be
// wrapped by the barrier.
func (ss *sessions) opened(args ...any) {
	conn, ok := args[0].(engine.Socket)
	if !ok {
		return
	}
	es := &engineSession{}
	ss.pending.Add(1)
	ss.live.Store(conn.Id(), es)
	inner := conn.Listeners("data")
	conn.RemoveAllListeners("data")
	_ = conn.On("data", func(args ...any) {
		es.wait()
		for _, l := range inner {
			l(args...)
		}
	})
	_ = conn.Once("close", func(...any) {
		ss.settle(es)
		es.release()
		ss.live.Delete(conn.Id())
	})
}

func (ss *sessions) get(sid string) *engineSession {
	if v, ok := ss.live.Load(sid); ok {
		return v.(*engineSession)
	}
	return nil
}

// joined marks the session as having joined a namespace.
func (ss *sessions) joined(es *engineSession) {
	if es != nil {
		ss.settle(es)
	}
}

func (ss *sessions) settle(es *engineSession) {
	if es.settled.CompareAndSwap(false, true) {
		ss.pending.Add(-1)
	}
}

func (ss *sessions) count() int64 { return ss.pending.Load() }

// begin marks an acceptance in flight.
func (es *engineSession) begin() {
	if es == nil {
		return
	}
	es.mu.Lock()
	defer es.mu.Unlock()
	if es.inflight.Add(1) == 1 {
		es.idle = make(chan struct{})
	}
}

// end marks an acceptance registered by the library.
func (es *engineSession) end() {
	if es == nil {
		return
	}
	es.mu.Lock()
	defer es.mu.Unlock()
	if es.inflight.Load() > 0 && es.inflight.Add(-1) == 0 {
		close(es.idle)
		es.idle = nil
	}
}

// release ends every acceptance in flight (the session closed).
func (es *engineSession) release() {
	es.mu.Lock()
	defer es.mu.Unlock()
	if es.inflight.Swap(0) > 0 {
		close(es.idle)
		es.idle = nil
	}
}

// wait blocks while an acceptance is in flight, up to connectBarrierWait.
func (es *engineSession) wait() {
	if es.inflight.Load() == 0 {
		return
	}
	es.mu.Lock()
	ch := es.idle
	es.mu.Unlock()
	if ch == nil {
		return
	}
	t := time.NewTimer(connectBarrierWait)
	defer t.Stop()
	select {
	case <-ch:
	case <-t.C:
	}
}

var _ types.EventListener = (&sessions{}).opened
