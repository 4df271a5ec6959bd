package scenarios

import (
	"fmt"
	"slices"
	"time"

	"github.com/gatecrash/gatecrash/results"
)

// modelFields lists the load fields that belong to one model only.
var modelFields = map[Model][]string{
	ModelOpen:   {"stages"},
	ModelClosed: {"vus", "duration", "iterations"},
	ModelHold:   {"sockets", "ramp", "hold", "event_every"},
}

func (d *decoder) validateLoad(s *Scenario) {
	l := &s.Load
	if !d.has("load") {
		d.problemAt("load", "is required")
		return
	}
	if l.Model == "" {
		if d.has("load.model") {
			return // a bad model was reported already
		}
		l.Model = ModelOpen
	}
	for m, fields := range modelFields {
		for _, f := range fields {
			if m != l.Model && d.has("load."+f) {
				d.problemAt("load."+f, "belongs to model %s, not %s", m, l.Model)
			}
		}
	}
	switch l.Model {
	case ModelOpen:
		d.validateOpen(l)
	case ModelClosed:
		d.validateClosed(l)
	case ModelHold:
		if l.Sockets == 0 && !d.has("load.sockets") {
			d.problemAt("load", "model hold needs sockets")
		}
		if l.Hold == 0 {
			d.problemAt(cmpOr(pathIf(d.has("load.hold"), "load.hold"), "load"), "model hold needs hold > 0")
		}
		if l.EventEvery != 0 && l.EventEvery < MinEventEvery {
			d.problemAt("load.event_every", "must be at least %s (or left out for no events)", MinEventEvery)
		}
	}
	d.validateLength(l)
	d.validateHandshake(s)
}

// validateLength bounds the load's planned length by MaxLoadDuration,
// adding with a bound so that no sum of durations overflows.
func (d *decoder) validateLength(l *LoadSpec) {
	var parts []time.Duration
	path := "load"
	switch l.Model {
	case ModelOpen:
		path = "load.stages"
		for _, st := range l.Stages {
			parts = append(parts, st.Duration)
		}
	case ModelClosed:
		path, parts = "load.duration", []time.Duration{l.Duration}
	case ModelHold:
		path, parts = "load.hold", []time.Duration{l.Ramp, l.Hold}
	}
	var total time.Duration
	for _, p := range parts {
		if p > MaxLoadDuration-total {
			d.problemAt(path, "the load runs longer than %s", MaxLoadDuration)
			return
		}
		total += p
	}
}

// validateLifetime makes valid tokens outlive the run: they are minted
// before the clock starts, so a token that expired mid-run would turn good
// credentials into false rejects blamed on the server. A lifetime left out
// grows to fit; one written too short is a problem.
func (d *decoder) validateLifetime(s *Scenario) {
	planned := s.Load.PlannedDuration()
	if planned <= 0 || planned > MaxLoadDuration {
		return // unknown length (iterations), or reported already
	}
	need := planned + s.Load.Timeout
	j := &s.Credentials.JWT
	switch {
	case !d.has("credentials.jwt.lifetime"):
		j.Lifetime = max(j.Lifetime, need+time.Minute)
	case j.Lifetime > 0 && j.Lifetime < need:
		d.problemAt("credentials.jwt.lifetime", "valid tokens are minted before the run starts, so they "+
			"must outlive it: the load runs %s plus a %s timeout; set at least %s", planned, s.Load.Timeout, need)
	}
}

func (d *decoder) validateOpen(l *LoadSpec) {
	if len(l.Stages) == 0 {
		if !d.has("load.stages") {
			d.problemAt("load", "model open needs stages")
		} else {
			d.problemAt("load.stages", "at least one stage is required")
		}
		return
	}
	for i, st := range l.Stages {
		p := fmt.Sprintf("load.stages[%d]", i)
		if st.Duration <= 0 {
			d.problemAt(cmpOr(pathIf(d.has(p+".duration"), p+".duration"), p), "duration must be > 0")
		}
		if !d.has(p + ".rate") {
			d.problemAt(p, "rate is required")
		}
	}
}

func (d *decoder) validateClosed(l *LoadSpec) {
	if l.VUs == 0 && !d.has("load.vus") {
		d.problemAt("load", "model closed needs vus")
	}
	switch hasD, hasI := d.has("load.duration"), d.has("load.iterations"); {
	case hasD && hasI:
		d.problemAt("load.iterations", "duration and iterations exclude each other")
	case !hasD && !hasI:
		d.problemAt("load", "model closed needs duration or iterations")
	case hasD && l.Duration == 0:
		d.problemAt("load.duration", "must be > 0")
	}
}

func (d *decoder) validateHandshake(s *Scenario) {
	l := &s.Load
	if l.Transport == "" {
		l.Transport = TransportWebSocket
	}
	switch {
	case !d.has("load.timeout"):
		l.Timeout = DefaultTimeout
	case l.Timeout <= 0 || l.Timeout > MaxTimeout:
		d.problemAt("load.timeout", "must be > 0 and at most %s", MaxTimeout)
	}
	switch {
	case !d.has("load.ack_event"):
		l.AckEvent = DefaultAckEvent
	case l.AckEvent == "":
		d.problemAt("load.ack_event", "must not be empty")
	}
	if l.Multiplex && len(s.Namespaces) < 2 {
		d.problemAt("load.multiplex", "needs at least two namespaces to share a connection")
	}
	c := s.Credentials
	if n, known := l.PlannedHandshakes(); c.Reuse == ReuseUnique && known && n > int64(c.Identities) {
		d.problemAt("credentials.reuse", "unique identities: the load plans %d handshakes but "+
			"credentials.identities is %d", n, c.Identities)
	}
}

func (d *decoder) validateThresholds(s *Scenario) {
	if !d.has("thresholds") {
		t, err := results.ParseThreshold(DefaultThreshold)
		if err != nil {
			panic("scenarios: DefaultThreshold does not parse: " + err.Error())
		}
		s.Thresholds = []results.Threshold{t}
		return
	}
	for i, t := range s.Thresholds {
		p := d.thresholdPaths[i]
		if ns := t.Filter.Namespace; ns != "" {
			if _, ok := s.namespace(ns); !ok {
				d.problemAt(p, "namespace %s is not declared in namespaces", ns)
			}
		}
		if k := t.Filter.Kind; k != "" && !slices.ContainsFunc(s.Credentials.Mix, func(e MixEntry) bool {
			return e.Label == k
		}) {
			d.problemAt(p, "kind %s is not in credentials.mix (labels: %s)", k, s.labels())
		}
	}
}

func (s *Scenario) labels() string {
	var out string
	for i, e := range s.Credentials.Mix {
		if i > 0 {
			out += ", "
		}
		out += e.Label
	}
	return out
}
