package distributed

import (
	"sync"

	"github.com/gatecrash/gatecrash/results"
)

// stream is a worker's second sink: it records every sample into the
// current interval's recorder, and flush swaps in a fresh recorder and
// returns what the last one recorded, histograms included, for the
// coordinator's live view. The final result comes from the run's own
// recorder, not from these.
type stream struct {
	mu  sync.RWMutex
	rec *results.Recorder
}

func newStream() *stream {
	return &stream{rec: results.NewRecorder(results.Options{})}
}

// Record implements loadgen.Sink. The read lock only keeps flush from
// finishing a recorder while a sample goes in; recorders lock themselves.
func (s *stream) Record(sm results.Sample) {
	s.mu.RLock()
	s.rec.Record(sm)
	s.mu.RUnlock()
}

// flush returns what was recorded since the last flush.
func (s *stream) flush() *results.Result {
	s.mu.Lock()
	old := s.rec
	s.rec = results.NewRecorder(results.Options{})
	s.mu.Unlock()
	return old.Finish(results.Meta{})
}
