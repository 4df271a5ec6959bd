package distributed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/scenarios"
)

// WorkerOptions configure Work. The zero value is usable.
type WorkerOptions struct {
	// Version is gatecrash's version, sent at join and recorded.
	Version string
	// Name names the worker in the coordinator's report; default
	// hostname:pid.
	Name string
	// Subject is the subject prefix; default DefaultSubject.
	Subject string
	// JoinTimeout bounds the wait for a coordinator; default 30 s.
	JoinTimeout time.Duration
	// Beat is the heartbeat period; default 500 ms. The coordinator calls
	// a worker lost after its LostAfter without a message.
	Beat time.Duration
	// Logger receives the worker's progress; nil discards.
	Logger *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time

	protocol int // ProtocolVersion unless a test says otherwise
}

func (o WorkerOptions) withDefaults() WorkerOptions {
	if o.Name == "" {
		host, _ := os.Hostname()
		o.Name = fmt.Sprintf("%s:%d", host, os.Getpid())
	}
	if o.Subject == "" {
		o.Subject = DefaultSubject
	}
	if o.JoinTimeout <= 0 {
		o.JoinTimeout = 30 * time.Second
	}
	if o.Beat <= 0 {
		o.Beat = 500 * time.Millisecond
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.protocol == 0 {
		o.protocol = ProtocolVersion
	}
	return o
}

// Work joins the coordinator at url, runs the share it is given and sends
// its result. It returns the share's own output once the coordinator has
// it. Cancelling ctx stops the share early; its result is still sent,
// marked incomplete. A coordinator of another protocol version refuses the
// worker with ErrVersion.
func Work(ctx context.Context, url string, opts WorkerOptions) (*runner.Output, error) {
	o := opts.withDefaults()
	nc, err := nats.Connect(url, nats.Name("gatecrash worker "+o.Name), nats.Timeout(5*time.Second))
	if err != nil {
		return nil, fmt.Errorf("distributed: join %s: %w", url, err)
	}
	defer nc.Close()

	w, err := join(ctx, nc, o)
	if err != nil {
		return nil, err
	}
	var sc scenarios.Scenario
	if err := decode(w.Scenario, &sc); err != nil {
		return nil, err
	}
	o.Logger.Info("joined", "run", w.Run, "share", w.Share.Index, "of", w.Share.Count)
	s := &session{o: o, nc: nc, subj: newSubjects(o.Subject, w.Run), w: w, strm: newStream()}
	return s.run(ctx, &sc)
}

// join says hello until a coordinator answers or the join timeout passes.
func join(ctx context.Context, nc *nats.Conn, o WorkerOptions) (welcome, error) {
	ctx, cancel := context.WithTimeout(ctx, o.JoinTimeout)
	defer cancel()
	subj := newSubjects(o.Subject, "").join
	for {
		h := hello{Protocol: o.protocol, Version: o.Version, Worker: o.Name, Clock: o.Now()}
		msg, err := nc.RequestWithContext(ctx, subj, encode(h))
		if err == nil {
			return answer(msg.Data, o.protocol)
		}
		if !errors.Is(err, nats.ErrNoResponders) {
			return welcome{}, fmt.Errorf("distributed: join: %w", err)
		}
		select { // no coordinator yet: ask again shortly
		case <-time.After(200 * time.Millisecond):
		case <-ctx.Done():
			return welcome{}, fmt.Errorf("distributed: join: no coordinator answered: %w", ctx.Err())
		}
	}
}

// answer reads the coordinator's reply to a hello.
func answer(data []byte, protocol int) (welcome, error) {
	var w welcome
	if err := decode(data, &w); err != nil {
		return w, err
	}
	switch {
	case w.Protocol != protocol:
		return w, fmt.Errorf("%w: %s", ErrVersion, w.Error)
	case w.Error != "":
		return w, fmt.Errorf("%w: %s", ErrRefused, w.Error)
	}
	return w, nil
}

// session is one worker's part in one run.
type session struct {
	o    WorkerOptions
	nc   *nats.Conn
	subj subjects
	w    welcome
	strm *stream

	mu       sync.Mutex
	phase    string
	startLag time.Duration
}

func (s *session) setPhase(p string) {
	s.mu.Lock()
	s.phase = p
	s.mu.Unlock()
}

// run runs the share, beating all along, and sends the result.
func (s *session) run(ctx context.Context, sc *scenarios.Scenario) (*runner.Output, error) {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	starts := make(chan startAt, 1)
	subs, err := s.subscribe(cancel, starts)
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, sub := range subs {
			_ = sub.Unsubscribe()
		}
	}()
	beatCtx, stopBeat := context.WithCancel(context.Background())
	defer stopBeat()
	s.setPhase("minting")
	go s.beat(beatCtx)

	var streaming sync.WaitGroup
	out, runErr := runner.Run(runCtx, sc, runner.Options{
		Version: s.o.Version,
		Share:   s.w.Share,
		Sink:    s.strm,
		BeforeStart: func(ctx context.Context) error {
			return s.ready(ctx, starts)
		},
		OnStart: func(_ func() results.Snapshot, _ time.Duration) {
			streaming.Go(func() { s.streamLoop(runCtx) })
		},
	})
	cancel()
	streaming.Wait()
	s.setPhase("done")
	return out, s.finish(out, runErr)
}

// subscribe listens for the abort and the start.
func (s *session) subscribe(cancel context.CancelFunc, starts chan<- startAt) ([]*nats.Subscription, error) {
	ab, err := s.nc.Subscribe(s.subj.abort, func(*nats.Msg) { cancel() })
	if err != nil {
		return nil, fmt.Errorf("distributed: subscribe: %w", err)
	}
	st, err := s.nc.Subscribe(s.subj.start, func(m *nats.Msg) {
		var a startAt
		if decode(m.Data, &a) == nil {
			select {
			case starts <- a:
			default:
			}
		}
	})
	if err != nil {
		_ = ab.Unsubscribe()
		return nil, fmt.Errorf("distributed: subscribe: %w", err)
	}
	if err := s.nc.Flush(); err != nil {
		return nil, fmt.Errorf("distributed: subscribe: %w", err)
	}
	return []*nats.Subscription{ab, st}, nil
}

// beat publishes a heartbeat every Beat until ctx ends.
func (s *session) beat(ctx context.Context) {
	t := time.NewTicker(s.o.Beat)
	defer t.Stop()
	for {
		s.mu.Lock()
		b := beat{Share: s.w.Share.Index, Phase: s.phase}
		s.mu.Unlock()
		_ = s.nc.Publish(s.subj.beat, encode(b))
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
}

// ready reports the share minted, waits for the synchronized start and
// sleeps until it.
func (s *session) ready(ctx context.Context, starts <-chan startAt) error {
	s.setPhase("ready")
	if err := s.nc.Publish(s.subj.ready, encode(ready{Share: s.w.Share.Index})); err != nil {
		return fmt.Errorf("distributed: ready: %w", err)
	}
	var at startAt
	select {
	case at = <-starts:
	case <-ctx.Done():
		return fmt.Errorf("distributed: aborted before the start: %w", ctx.Err())
	}
	if d := at.At.Sub(s.o.Now()); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return fmt.Errorf("distributed: aborted before the start: %w", ctx.Err())
		}
	}
	s.mu.Lock()
	s.startLag, s.phase = s.o.Now().Sub(at.At), "running"
	s.mu.Unlock()
	return nil
}

// streamLoop publishes what was recorded each second until ctx ends, then
// the rest.
func (s *session) streamLoop(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for seq := 0; ; seq++ {
		select {
		case <-t.C:
		case <-ctx.Done():
			s.publishInterval(seq)
			return
		}
		s.publishInterval(seq)
	}
}

func (s *session) publishInterval(seq int) {
	iv := interval{Share: s.w.Share.Index, Seq: seq, Result: encode(s.strm.flush())}
	if err := s.nc.Publish(s.subj.interval, encode(iv)); err != nil {
		s.o.Logger.Warn("interval not sent", "err", err)
	}
}

// finish sends the final report and waits for the coordinator to have it,
// trying three times.
func (s *session) finish(out *runner.Output, runErr error) error {
	s.mu.Lock()
	d := done{Share: s.w.Share.Index, StartLag: s.startLag}
	s.mu.Unlock()
	if out != nil && out.Result != nil {
		d.Result, d.Generator = encode(out.Result), out.Generator
	}
	if runErr != nil {
		d.Error = runErr.Error()
	}
	var err error
	for range 3 {
		if _, err = s.nc.Request(s.subj.done, encode(d), 5*time.Second); err == nil {
			return runErr
		}
	}
	return errors.Join(runErr, fmt.Errorf("distributed: result not delivered: %w", err))
}
