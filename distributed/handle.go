package distributed

import (
	"fmt"
	"strings"

	"github.com/nats-io/nats.go"

	"github.com/gatecrash/gatecrash/results"
)

// handle processes one message from a worker.
func (c *coordinator) handle(m *nats.Msg) {
	switch {
	case m.Subject == c.subj.join:
		c.onJoin(m)
	case strings.HasPrefix(m.Subject, c.o.Subject+"."+c.run+"."):
		c.onRunMessage(m)
	}
}

// onJoin answers a hello: a refusal for another protocol version or a full
// run, else the next share.
func (c *coordinator) onJoin(m *nats.Msg) {
	var h hello
	if err := decode(m.Data, &h); err != nil {
		c.refuse(m, "unreadable hello", err.Error())
		return
	}
	if h.Protocol != ProtocolVersion {
		c.refuse(m, h.Worker, fmt.Sprintf("worker %s (gatecrash %s) speaks protocol version %d; "+
			"this coordinator (gatecrash %s) speaks version %d: run the same gatecrash version on both",
			h.Worker, h.Version, h.Protocol, c.o.Version, ProtocolVersion))
		return
	}
	k := c.count(func(w *workerState) bool { return w.joined })
	if k == len(c.workers) {
		c.refuse(m, h.Worker, fmt.Sprintf("run %s already has its %d workers", c.run, len(c.workers)))
		return
	}
	w := c.workers[k]
	w.joined, w.last, w.Name, w.Version = true, c.o.Now(), h.Worker, h.Version
	w.ClockSkew = h.Clock.Sub(w.last)
	_ = m.Respond(encode(welcome{Protocol: ProtocolVersion, Run: c.run, Share: w.Share, Scenario: c.scJSON}))
	c.o.Logger.Info("worker joined", "share", k, "worker", h.Worker)
}

// refuse answers a hello with an error and remembers it.
func (c *coordinator) refuse(m *nats.Msg, who, why string) {
	c.refused = append(c.refused, why)
	_ = m.Respond(encode(welcome{Protocol: ProtocolVersion, Error: why}))
	c.o.Logger.Warn("worker refused", "worker", who, "reason", why)
}

// onRunMessage handles ready, beat, interval and done.
func (c *coordinator) onRunMessage(m *nats.Msg) {
	var head struct {
		Share int `json:"share"`
	}
	if decode(m.Data, &head) != nil || head.Share < 0 || head.Share >= len(c.workers) {
		return
	}
	w := c.workers[head.Share]
	if !w.joined || w.ended {
		return // a lost worker's late messages do not come back into the run
	}
	w.last = c.o.Now()
	switch m.Subject {
	case c.subj.ready:
		w.ready = true
	case c.subj.interval:
		c.onInterval(w, m.Data)
	case c.subj.done:
		c.onDone(w, m)
	}
}

func (c *coordinator) onInterval(w *workerState, data []byte) {
	var iv interval
	if decode(data, &iv) != nil {
		return
	}
	r, err := results.Decode(iv.Result)
	if err != nil {
		c.o.Logger.Warn("bad interval", "share", w.Share.Index, "err", err)
		return
	}
	w.Streamed += r.Counters.Connections
	c.live.add(r)
}

// onDone takes a worker's final report and acknowledges it.
func (c *coordinator) onDone(w *workerState, m *nats.Msg) {
	var d done
	if err := decode(m.Data, &d); err != nil {
		return
	}
	w.ended, w.Generator, w.StartLag, w.Error = true, d.Generator, d.StartLag, d.Error
	w.Status = StatusFailed
	if len(d.Result) > 0 {
		r, err := results.Decode(d.Result)
		if err != nil {
			w.Error = strings.TrimSpace(w.Error + "; result unreadable: " + err.Error())
		} else {
			w.Result, w.Status = r, StatusDone
		}
	}
	_ = m.Respond([]byte("{}"))
}
