package loadgen

import (
	"fmt"
	"syscall"
	"time"
)

// Report is what a run says about the generator itself.
type Report struct {
	// Scheduled starts came due before the schedule ended or the run was
	// cancelled; Started were begun; Dropped were not (the in-flight cap was
	// reached); Late began more than the late tolerance behind schedule.
	Scheduled, Started, Dropped, Late uint64
	// Samples is the number of samples recorded.
	Samples uint64
	// PeakSockets is the most sockets open at once.
	PeakSockets int64
	// HoldEvents, HoldAcks and HoldLost count a hold model's periodic events
	// sent, acks received, and held sockets the server closed before release.
	HoldEvents, HoldAcks, HoldLost uint64
	// Wall is the run's duration; CPU the process's user+system CPU during it
	// (an embedded server's share included).
	Wall, CPU time.Duration
	// Capacity is the open-file and port check made before the run.
	Capacity Capacity
	// Saturated says the generator could not keep the schedule;
	// SaturationReason says how, in a sentence a report can print.
	Saturated        bool
	SaturationReason string
}

// judge sets Saturated when starts were dropped or more than 1% were late.
func (r *Report) judge() {
	switch {
	case r.Dropped > 0:
		r.Saturated = true
		r.SaturationReason = fmt.Sprintf("the generator was the bottleneck: %d of %d scheduled starts "+
			"were dropped (in-flight cap reached)", r.Dropped, r.Scheduled)
	case r.Started > 0 && r.Late*100 > r.Started:
		r.Saturated = true
		r.SaturationReason = fmt.Sprintf("the generator was the bottleneck: %d of %d starts began late",
			r.Late, r.Started)
	}
}

// cpuTime is the process's user plus system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
