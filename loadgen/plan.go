package loadgen

import (
	"crypto/tls"
	"fmt"
	"net/netip"
	"time"

	"github.com/gatecrash/gatecrash/results"
)

// Model is a load model: Open, Closed or Hold.
type Model interface{ model() }

func (Open) model()   {}
func (Closed) model() {}
func (Hold) model()   {}

// Sink receives the samples of a run. Record is called from many goroutines
// at once; results.Recorder satisfies it.
type Sink interface {
	Record(results.Sample)
}

// Defaults of Plan.
const (
	DefaultTimeout       = 10 * time.Second
	DefaultLateTolerance = time.Millisecond
	DefaultMaxInFlight   = 8192
)

// Plan is everything a run needs. Credentials are minted into Handshakes
// before the run starts; handshake i uses Handshakes[i % len(Handshakes)].
type Plan struct {
	// URL is the target: http(s):// or ws(s)://; Path the Engine.IO path
	// (default: the URL's path, else /socket.io/).
	URL  string
	Path string
	// TLS configures wss/https targets (CA pool or explicit insecure).
	TLS *tls.Config
	// Model is the load model.
	Model Model
	// Handshakes are the pre-minted clients.
	Handshakes []Handshake
	// Timeout bounds each handshake from its actual start; default 10 s.
	Timeout time.Duration
	// AckEvent is the event emitted with an ack on each accepted namespace
	// ("whoami" on the reference server); "" emits none.
	AckEvent string
	// HoldEvent is the raw EVENT args a Hold model emits periodically
	// (default ["echo","hold"]).
	HoldEvent []byte
	// SourceAddrs spread connections over these local addresses (of
	// 127.0.0.0/8 for a loopback target), round-robin; empty lets the system
	// choose.
	SourceAddrs []netip.Addr
	// MaxInFlight caps concurrent handshakes of an open model; a start due
	// while the cap is reached is dropped and counted. Default 8192.
	MaxInFlight int
	// LateTolerance is how far behind schedule a start may be before it
	// counts as late; default 1 ms (more than 1% late starts, that is a p99
	// start delay over 1 ms, marks the generator saturated).
	LateTolerance time.Duration
	// EmbeddedServer says the target runs in this process and shares its
	// open-file limit (one file per socket on each side).
	EmbeddedServer bool
	// Dial tunes the client (buffers, read limit).
	Dial *DialOptions
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// withDefaults returns a copy of p with defaults filled in.
func (p Plan) withDefaults() Plan {
	if p.Timeout <= 0 {
		p.Timeout = DefaultTimeout
	}
	if p.MaxInFlight <= 0 {
		p.MaxInFlight = DefaultMaxInFlight
	}
	if p.LateTolerance <= 0 {
		p.LateTolerance = DefaultLateTolerance
	}
	if p.HoldEvent == nil {
		p.HoldEvent = []byte(`["echo","hold"]`)
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	return p
}

// validate reports the first problem of a defaulted plan.
func (p Plan) validate() error {
	if len(p.Handshakes) == 0 {
		return fmt.Errorf("%w: no handshakes", ErrPlan)
	}
	for i, hs := range p.Handshakes {
		if len(hs.Namespaces) == 0 {
			return fmt.Errorf("%w: handshake %d connects no namespace", ErrPlan, i)
		}
	}
	switch m := p.Model.(type) {
	case Open:
		if len(m.Stages) == 0 {
			return fmt.Errorf("%w: open model without stages", ErrPlan)
		}
	case Closed:
		if m.VUs <= 0 || (m.Duration <= 0 && m.Iterations <= 0) {
			return fmt.Errorf("%w: closed model needs VUs and a duration or an iteration count", ErrPlan)
		}
	case Hold:
		if m.Sockets <= 0 {
			return fmt.Errorf("%w: hold model needs sockets", ErrPlan)
		}
	default:
		return fmt.Errorf("%w: no load model", ErrPlan)
	}
	return nil
}

// Sockets is the most sockets the plan can have open at once: the in-flight
// cap of an open model, the virtual users of a closed one, the held sockets
// of a hold model.
func (p Plan) Sockets() int {
	p = p.withDefaults()
	switch m := p.Model.(type) {
	case Open:
		return p.MaxInFlight
	case Closed:
		return m.VUs
	case Hold:
		return m.Sockets
	}
	return 0
}
