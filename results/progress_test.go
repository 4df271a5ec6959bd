package results

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func TestProgressPrint(t *testing.T) {
	s := Snapshot{Elapsed: 12*time.Second + 400*time.Millisecond, Samples: 4820, Connections: 4000,
		Accepted: 3100, Refused: 1719, NoAnswer: 1, FalseAccepts: 0, Late: 3,
		RecentRate: 402, RecentP99: 3200 * time.Microsecond}
	tests := []struct {
		name     string
		terminal bool
		planned  time.Duration
		snap     Snapshot
		want     string
	}{
		{name: "line", planned: 30 * time.Second, snap: s,
			want: "progress 12s/30s: 4820 samples (402.0/s), accepted 3100, refused 1719, no answer 1, " +
				"false accepts 0, identity mismatches 0, late 3, p99 total 3.20ms\n"},
		{name: "line without plan", snap: s,
			want: "progress 12s: 4820 samples (402.0/s), accepted 3100, refused 1719, no answer 1, " +
				"false accepts 0, identity mismatches 0, late 3, p99 total 3.20ms\n"},
		{name: "bar", terminal: true, planned: 30 * time.Second, snap: s,
			want: "\r\x1b[K[########------------]  41% 12s/30s  4820 (402/s)  acc 3100  ref 1719  none 1  p99 3.20ms"},
		{name: "bar past plan with security failure", terminal: true, planned: 10 * time.Second,
			snap: Snapshot{Elapsed: 11 * time.Second, Samples: 5, Accepted: 5, FalseAccepts: 2},
			want: "\r\x1b[K[####################] 100% 11s/10s  5 (0/s)  acc 5  ref 0  none 0  p99 0µs  SECURITY 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			NewProgress(&b, tt.terminal, tt.planned).Print(tt.snap)
			if b.String() != tt.want {
				t.Errorf("got  %q\nwant %q", b.String(), tt.want)
			}
		})
	}
}

func TestProgressRun(t *testing.T) {
	tests := []struct {
		name     string
		terminal bool
		lines    int
		endsLine bool
	}{
		{name: "lines", terminal: false, lines: 4, endsLine: true},
		{name: "bar", terminal: true, lines: 1, endsLine: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var b bytes.Buffer
				ctx, cancel := context.WithTimeout(t.Context(), 3500*time.Millisecond)
				defer cancel()
				calls := 0
				NewProgress(&b, tt.terminal, 0).Run(ctx, time.Second, func() Snapshot {
					calls++
					return Snapshot{Samples: int64(calls)}
				})
				if calls != 4 { // three ticks and the final update
					t.Errorf("%d snapshots, want 4", calls)
				}
				out := b.String()
				if n := strings.Count(out, "\n"); n != tt.lines || strings.HasSuffix(out, "\n") != tt.endsLine {
					t.Errorf("output has %d newlines: %q", n, out)
				}
			})
		})
	}
}

// TestProgressDoneDoesNotRepeatTheLastLine: a final update identical to the
// last tick's is not printed twice in lines mode.
func TestProgressDoneDoesNotRepeatTheLastLine(t *testing.T) {
	var b strings.Builder
	p := NewProgress(&b, false, 2*time.Second)
	s := Snapshot{Elapsed: time.Second, Samples: 10}
	p.Print(s)
	p.Done(s)
	if n := strings.Count(b.String(), "\n"); n != 1 {
		t.Fatalf("%d lines, want 1:\n%s", n, b.String())
	}
	s.Samples = 11
	p.Done(s)
	if n := strings.Count(b.String(), "\n"); n != 2 {
		t.Fatalf("%d lines after a changed final snapshot, want 2:\n%s", n, b.String())
	}
}
