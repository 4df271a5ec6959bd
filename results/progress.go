package results

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// Progress prints live progress: a redrawn bar on a terminal, one line per
// update otherwise (logs, CI). It reads Snapshots; it never touches the
// Recorder itself.
type Progress struct {
	w        io.Writer
	terminal bool
	planned  time.Duration
	drawn    bool
	last     string // the last line printed (lines mode), so Done does not repeat it
}

// NewProgress returns a progress printer writing to w. terminal selects the
// redrawn bar; planned is the run's scheduled length (zero when unknown,
// for example a closed model bounded by iterations: no bar is drawn then).
func NewProgress(w io.Writer, terminal bool, planned time.Duration) *Progress {
	return &Progress{w: w, terminal: terminal, planned: planned}
}

// Run prints an update every interval until ctx ends, then a final one
// (Done). snapshot is usually Recorder.Snapshot.
func (p *Progress) Run(ctx context.Context, every time.Duration, snapshot func() Snapshot) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			p.Done(snapshot())
			return
		case <-t.C:
			p.Print(snapshot())
		}
	}
}

// Print writes one update. Write errors are ignored: progress is advisory.
func (p *Progress) Print(s Snapshot) {
	if p.terminal {
		fmt.Fprintf(p.w, "\r\x1b[K%s", p.bar(s))
		p.drawn = true
		return
	}
	p.last = p.line(s)
	fmt.Fprintln(p.w, p.last)
}

// Done writes the final update (unless it is the line just printed) and, on
// a terminal, ends the bar's line.
func (p *Progress) Done(s Snapshot) {
	if p.terminal || p.line(s) != p.last {
		p.Print(s)
	}
	if p.terminal && p.drawn {
		fmt.Fprintln(p.w)
	}
}

func (p *Progress) clock(s Snapshot) string {
	el := s.Elapsed.Truncate(time.Second)
	if p.planned <= 0 {
		return el.String()
	}
	return fmt.Sprintf("%s/%s", el, p.planned.Truncate(time.Second))
}

func (p *Progress) line(s Snapshot) string {
	return fmt.Sprintf("progress %s: %d samples (%.1f/s), accepted %d, refused %d, no answer %d, "+
		"false accepts %d, identity mismatches %d, late %d, p99 total %s",
		p.clock(s), s.Samples, s.RecentRate, s.Accepted, s.Refused, s.NoAnswer,
		s.FalseAccepts, s.IdentityMismatches, s.Late, formatMicros(s.RecentP99.Microseconds()))
}

const barWidth = 20

func (p *Progress) bar(s Snapshot) string {
	var b strings.Builder
	if p.planned > 0 {
		frac := min(max(float64(s.Elapsed)/float64(p.planned), 0), 1)
		n := int(frac * barWidth)
		fmt.Fprintf(&b, "[%s%s] %3.0f%% ", strings.Repeat("#", n), strings.Repeat("-", barWidth-n), frac*100)
	}
	fmt.Fprintf(&b, "%s  %d (%.0f/s)  acc %d  ref %d  none %d  p99 %s",
		p.clock(s), s.Samples, s.RecentRate, s.Accepted, s.Refused, s.NoAnswer,
		formatMicros(s.RecentP99.Microseconds()))
	if bad := s.FalseAccepts + s.IdentityMismatches; bad > 0 {
		fmt.Fprintf(&b, "  SECURITY %d", bad)
	}
	return b.String()
}
