package distributed

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/loadgen"
)

// ProtocolVersion is the version of the coordinator↔worker messages. It
// changes whenever a message changes shape or meaning; a worker of another
// version is refused at join.
const ProtocolVersion = 1

// DefaultSubject is the subject prefix of every message; runs that share a
// NATS cluster use different prefixes.
const DefaultSubject = "gatecrash"

// hello is a worker's join request. Its Protocol field, and welcome's
// Protocol and Error, keep their names and meaning in every version, so a
// worker of any version can be told it is refused and why.
type hello struct {
	Protocol int       `json:"protocol"`
	Version  string    `json:"version"`
	Worker   string    `json:"worker"`
	Clock    time.Time `json:"clock"`
}

// welcome answers a hello: an assignment, or Error when refused.
type welcome struct {
	Protocol int             `json:"protocol"`
	Error    string          `json:"error,omitempty"`
	Run      string          `json:"run,omitempty"`
	Share    creds.Share     `json:"share"`
	Scenario json.RawMessage `json:"scenario,omitempty"`
}

// ready says a worker minted its share's credentials. A worker that fails
// before it is ready sends done with an Error instead.
type ready struct {
	Share int `json:"share"`
}

// startAt is the synchronized start.
type startAt struct {
	At time.Time `json:"at"`
}

// beat is a worker's heartbeat.
type beat struct {
	Share int    `json:"share"`
	Phase string `json:"phase"`
}

// interval is what a worker recorded in one second: a results JSON.
type interval struct {
	Share  int             `json:"share"`
	Seq    int             `json:"seq"`
	Result json.RawMessage `json:"result"`
}

// done is a worker's final report: its result JSON, or Error when it has
// none. StartLag is how late, by its own clock, its load began after the
// synchronized start.
type done struct {
	Share     int             `json:"share"`
	Result    json.RawMessage `json:"result,omitempty"`
	Generator loadgen.Report  `json:"generator"`
	StartLag  time.Duration   `json:"start_lag_ns"`
	Error     string          `json:"error,omitempty"`
}

// abort tells every worker to stop and send what it has.
type abort struct {
	Reason string `json:"reason"`
}

// subjects are the subjects of one run.
type subjects struct {
	join, ready, start, beat, interval, done, abort string
}

func newSubjects(prefix, run string) subjects {
	p := prefix + "." + run + "."
	return subjects{
		join: prefix + ".join", ready: p + "ready", start: p + "start", beat: p + "beat",
		interval: p + "interval", done: p + "done", abort: p + "abort",
	}
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// The messages are plain structs of JSON-safe fields; a failure
		// here is a programming error.
		panic(fmt.Sprintf("distributed: encode %T: %v", v, err))
	}
	return b
}

func decode(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("distributed: decode %T: %w", v, err)
	}
	return nil
}
