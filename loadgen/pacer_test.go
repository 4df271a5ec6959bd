package loadgen

import (
	"testing"
	"time"
)

func TestOpenStart(t *testing.T) {
	tests := []struct {
		name   string
		stages []Stage
		n      uint64
		want   time.Duration
		wantOK bool
	}{
		{name: "constant first", stages: []Stage{{From: 100, To: 100, Duration: time.Second}},
			n: 0, wantOK: true},
		{name: "constant tenth", stages: []Stage{{From: 100, To: 100, Duration: time.Second}},
			n: 10, want: 100 * time.Millisecond, wantOK: true},
		{name: "constant last", stages: []Stage{{From: 100, To: 100, Duration: time.Second}},
			n: 99, want: 990 * time.Millisecond, wantOK: true},
		{name: "constant past end", stages: []Stage{{From: 100, To: 100, Duration: time.Second}}, n: 100},
		// Ramp 0→100/s over 1 s: N(t) = 50t², so start 8 is at √(8/50) = 0.4 s.
		{name: "ramp from zero", stages: []Stage{{From: 0, To: 100, Duration: time.Second}},
			n: 8, want: 400 * time.Millisecond, wantOK: true},
		// Ramp 100→0 over 1 s: N(t) = 100t - 50t²; N(0.2) = 18.
		{name: "ramp down", stages: []Stage{{From: 100, To: 0, Duration: time.Second}},
			n: 18, want: 200 * time.Millisecond, wantOK: true},
		{name: "ramp down count", stages: []Stage{{From: 100, To: 0, Duration: time.Second}}, n: 50},
		// Steps: 10/s for 1 s (10 starts), then 100/s: start 15 is 50 ms into step two.
		{name: "second step", stages: []Stage{{From: 10, To: 10, Duration: time.Second},
			{From: 100, To: 100, Duration: time.Second}}, n: 15, want: 1050 * time.Millisecond, wantOK: true},
		{name: "zero-rate pause", stages: []Stage{{From: 10, To: 10, Duration: time.Second},
			{Duration: time.Second}, {From: 10, To: 10, Duration: time.Second}},
			n: 10, want: 2 * time.Second, wantOK: true},
		{name: "no stages", n: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Open{Stages: tt.stages}.Start(tt.n)
			if ok != tt.wantOK || !near(got, tt.want) {
				t.Fatalf("Start(%d) = %v, %v; want %v, %v", tt.n, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// near allows for float rounding in the rate arithmetic.
func near(a, b time.Duration) bool {
	d := a - b
	return d > -time.Microsecond && d < time.Microsecond
}

func TestOpenStartMonotonic(t *testing.T) {
	o := Open{Stages: []Stage{{From: 0, To: 500, Duration: time.Second},
		{From: 500, To: 500, Duration: time.Second}, {From: 500, To: 50, Duration: time.Second}}}
	var prev time.Duration
	var n uint64
	for ; ; n++ {
		at, ok := o.Start(n)
		if !ok {
			break
		}
		if at < prev || at > o.Duration() {
			t.Fatalf("start %d at %v after %v (duration %v)", n, at, prev, o.Duration())
		}
		prev = at
	}
	if want := uint64(250 + 500 + 275); n != want {
		t.Fatalf("scheduled %d starts, want %d", n, want)
	}
}

func TestHoldPacer(t *testing.T) {
	p := Hold{Sockets: 4, Ramp: time.Second}.pacer()
	ms := time.Millisecond
	for n, want := range []time.Duration{0, 250 * ms, 500 * ms, 750 * ms} {
		if got, ok := p.Start(uint64(n)); !ok || got != want {
			t.Fatalf("Start(%d) = %v, %v", n, got, ok)
		}
	}
	if _, ok := p.Start(4); ok {
		t.Fatal("Start(4) scheduled a fifth socket")
	}
}
