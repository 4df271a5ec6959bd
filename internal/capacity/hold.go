package capacity

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/scenarios"
)

// HoldConfig configures the hold phase. Zero fields take the defaults.
type HoldConfig struct {
	// Sockets is how many sockets to open and hold; default 1000.
	Sockets int
	// Hold is how long to keep them; default 10 s. Memory is read once
	// every socket is open (or half the hold has passed), after a settle
	// of a quarter of the hold, at most one second.
	Hold time.Duration
	// Memory reads the server's memory; nil skips the phase.
	Memory MemorySource
}

// Memory is what the hold phase measured.
type Memory struct {
	// Source says whose memory was read and how.
	Source string `json:"source"`
	// Rate is the opening rate (the sustainable rate); Ramp the time the
	// sockets took to open at it.
	Rate float64       `json:"rate"`
	Ramp time.Duration `json:"ramp_ns"`
	// Sockets is the accepted Socket.IO sockets (namespace CONNECTs) held
	// when memory was read; Lost those the server closed before release.
	Sockets int64  `json:"sockets"`
	Lost    uint64 `json:"lost"`
	// Baseline is the memory before the first socket opened; Held while
	// the sockets were held.
	Baseline uint64 `json:"baseline_bytes"`
	Held     uint64 `json:"held_bytes"`
	// PerSocket is (Held - Baseline) / Sockets; PerGiB how many sockets one
	// GiB holds at that cost.
	PerSocket float64 `json:"per_socket_bytes"`
	PerGiB    float64 `json:"sockets_per_gib"`
}

func (c HoldConfig) withDefaults() HoldConfig {
	if c.Sockets == 0 {
		c.Sockets = 1000
	}
	if c.Hold == 0 {
		c.Hold = 10 * time.Second
	}
	return c
}

// Hold opens cfg.Sockets sockets of base at rate, holds them and reads the
// server's memory before and during the hold. base is not modified.
func Hold(ctx context.Context, base *scenarios.Scenario, rate float64, cfg HoldConfig,
	opts runner.Options) (*Memory, error) {
	cfg = cfg.withDefaults()
	if cfg.Memory == nil || rate <= 0 || cfg.Sockets < 1 || cfg.Hold < 0 {
		return nil, fmt.Errorf("%w: hold of %d sockets at %g/s over %v with source %v",
			ErrConfig, cfg.Sockets, rate, cfg.Hold, cfg.Memory)
	}
	ramp := max(time.Duration(float64(cfg.Sockets)/rate*float64(time.Second)), 100*time.Millisecond)
	sc := *base
	sc.Name = base.Name + " capacity hold"
	sc.Load.Model = scenarios.ModelHold
	sc.Load.Sockets, sc.Load.Ramp, sc.Load.Hold, sc.Load.EventEvery = cfg.Sockets, ramp, cfg.Hold, 0
	sc.Thresholds, sc.Outputs = nil, scenarios.Outputs{}

	m := &meter{src: cfg.Memory, want: int64(cfg.Sockets), ramp: ramp, hold: cfg.Hold,
		done: make(chan struct{}), got: make(chan reading, 1)}
	o := opts
	o.OnStart = func(snap func() results.Snapshot, planned time.Duration) {
		if opts.OnStart != nil {
			opts.OnStart(snap, planned)
		}
		m.start(ctx, snap)
	}
	out, err := runner.Run(ctx, &sc, o)
	close(m.done)
	if err != nil {
		return nil, fmt.Errorf("capacity: hold: %w", err)
	}
	r := <-m.got
	if r.err != nil {
		return nil, r.err
	}
	mem := &Memory{Source: cfg.Memory.Describe(), Rate: rate, Ramp: ramp, Sockets: r.sockets,
		Lost: out.Generator.HoldLost, Baseline: m.baseline, Held: r.resident}
	if r.sockets > 0 && r.resident > m.baseline {
		mem.PerSocket = float64(r.resident-m.baseline) / float64(r.sockets)
		mem.PerGiB = math.Floor(float64(1<<30) / mem.PerSocket)
	}
	return mem, nil
}

// reading is one memory read during the hold.
type reading struct {
	sockets  int64
	resident uint64
	err      error
}

// meter reads memory when the clock starts and once the sockets are held.
type meter struct {
	src        MemorySource
	want       int64
	ramp, hold time.Duration
	baseline   uint64
	done       chan struct{}
	got        chan reading
}

func (m *meter) start(ctx context.Context, snap func() results.Snapshot) {
	b, err := m.read(ctx)
	if err != nil {
		m.got <- reading{err: err}
		return
	}
	m.baseline = b
	go m.watch(ctx, snap)
}

func (m *meter) read(ctx context.Context) (uint64, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return m.src.Resident(ctx)
}

// watch waits until every socket is open, or half the hold passed, lets the
// server settle, and reads. A run that ends first yields an error.
func (m *meter) watch(ctx context.Context, snap func() results.Snapshot) {
	ended := reading{err: fmt.Errorf("capacity: hold: the run ended before memory was read")}
	deadline := time.NewTimer(m.ramp + m.hold/2)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
wait:
	for snap().Connections < m.want {
		select {
		case <-m.done:
			m.got <- ended
			return
		case <-deadline.C:
			break wait
		case <-tick.C:
		}
	}
	select {
	case <-m.done:
		m.got <- ended
		return
	case <-time.After(min(m.hold/4, time.Second)):
	}
	held := snap().Accepted
	v, err := m.read(ctx)
	m.got <- reading{sockets: held, resident: v, err: err}
}
