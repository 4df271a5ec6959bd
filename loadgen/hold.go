package loadgen

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatecrash/gatecrash/internal/wire"
)

// emitSlices spreads a hold model's periodic events: each tick of
// EventEvery/emitSlices emits on one slice of the held sockets, so the
// server sees a steady trickle instead of a burst per period.
const emitSlices = 16

// held is one held socket and the namespace its events go to.
type held struct {
	c   *Conn
	nsp string
}

// holder keeps a hold model's sockets: one reader goroutine per socket
// (answering pings, counting acks) and nothing else per socket.
type holder struct {
	mu      sync.Mutex
	conns   []held
	readers sync.WaitGroup
	acks    atomic.Uint64
	lost    atomic.Uint64
	events  atomic.Uint64
}

// add starts holding c; ctx ends the hold.
func (h *holder) add(ctx context.Context, c *Conn, nsp string) {
	h.mu.Lock()
	h.conns = append(h.conns, held{c: c, nsp: nsp})
	h.mu.Unlock()
	h.readers.Add(1)
	go h.read(ctx, c)
}

// read reads c until the hold ends or the server drops it. Without a
// deadline on ctx, each read waits at most the session's heartbeat timeout,
// so a silent server is noticed.
func (h *holder) read(ctx context.Context, c *Conn) {
	defer h.readers.Done()
	for {
		p, err := c.ReadPacket(ctx)
		if err != nil {
			if ctx.Err() == nil {
				h.lost.Add(1)
			}
			return
		}
		if p.Type == wire.Ack {
			h.acks.Add(1)
		}
	}
}

// emit sends args on every socket of slice k.
func (h *holder) emit(k int, args []byte) {
	h.mu.Lock()
	conns := h.conns
	h.mu.Unlock()
	for i := k; i < len(conns); i += emitSlices {
		if _, err := conns[i].c.EmitID(conns[i].nsp, args); err == nil {
			h.events.Add(1)
		}
	}
}

// holdLoop ramps up, holds and releases.
func (r *runner) holdLoop(ctx context.Context, m Hold, start time.Time, rep *Report) {
	hctx, release := context.WithCancel(ctx)
	defer release()
	h := &holder{}
	r.ramp(ctx, hctx, m, start, h, rep)

	if m.EventEvery > 0 {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.emitLoop(hctx, h, m.EventEvery/emitSlices)
		}()
	}
	timer := time.NewTimer(m.Hold)
	select {
	case <-timer.C:
	case <-ctx.Done():
		timer.Stop()
	}
	release()
	h.readers.Wait()
	for _, hc := range h.conns {
		hc.c.Close()
		r.trackOpen(-1)
	}
	rep.HoldEvents, rep.HoldAcks, rep.HoldLost = h.events.Load(), h.acks.Load(), h.lost.Load()
}

// ramp opens the sockets on the hold pacer's schedule and waits for every
// handshake to end.
func (r *runner) ramp(ctx, hctx context.Context, m Hold, start time.Time, h *holder, rep *Report) {
	var wg sync.WaitGroup
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	pacer := m.pacer()
	var prev time.Duration
	for n := uint64(0); ; n++ {
		at, ok := pacer.Start(n)
		lead := leadFor(at - prev)
		prev = at
		if !ok || !r.waitUntil(ctx, timer, start.Add(at-lead)) {
			break
		}
		rep.Scheduled++
		rep.Started++
		wg.Add(1)
		go func(intended time.Time) {
			defer wg.Done()
			r.sleepUntil(intended)
			if c, nsp := r.oneHeld(ctx, intended); c != nil {
				h.add(hctx, c, nsp)
			}
		}(start.Add(at))
	}
	wg.Wait()
}

// oneHeld runs a handshake whose connection is kept.
func (r *runner) oneHeld(ctx context.Context, intended time.Time) (*Conn, string) {
	c, hs := r.one(ctx, intended, true)
	return c, hs.Namespaces[0].Namespace
}

func (r *runner) emitLoop(ctx context.Context, h *holder, every time.Duration) {
	t := time.NewTicker(max(every, time.Millisecond))
	defer t.Stop()
	for k := 0; ; k = (k + 1) % emitSlices {
		select {
		case <-t.C:
			h.emit(k, r.plan.HoldEvent)
		case <-ctx.Done():
			return
		}
	}
}
