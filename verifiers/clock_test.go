package verifiers

import (
	"testing"
	"time"
)

// TestMonotonicClockAgreesWithSystemClock: the default clock of session
// verification returns what time.Now would, in order, fresh and after the
// anchor has aged past reanchorEvery.
func TestMonotonicClockAgreesWithSystemClock(t *testing.T) {
	tests := []struct {
		name      string
		anchorAge time.Duration
		reanchors bool
	}{
		{name: "fresh anchor", anchorAge: 0, reanchors: false},
		{name: "anchor just under the period", anchorAge: reanchorEvery / 2, reanchors: false},
		{name: "stale anchor", anchorAge: 2 * reanchorEvery, reanchors: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newMonotonicClock()
			old := time.Now().Add(-tc.anchorAge)
			c.anchor.Store(&old)

			before := time.Now()
			got := c.Now()
			after := time.Now()

			if got.Before(before) || got.After(after) {
				t.Fatalf("Now %v outside [%v, %v]", got, before, after)
			}
			if wall := got.Round(0); wall.Before(before.Round(0).Add(-time.Second)) ||
				wall.After(after.Round(0).Add(time.Second)) {
				t.Fatalf("wall time %v far from the system's %v", wall, before.Round(0))
			}
			if moved := c.anchor.Load() != &old; moved != tc.reanchors {
				t.Fatalf("anchor moved %v, want %v", moved, tc.reanchors)
			}
		})
	}
}

// TestCachedDefaultClockIsMonotonic pins the cheap path of cached hits: only
// an injected clock is read on every hit; the default reads the monotonic
// clock alone (a regression once made every hit read the wall clock).
func TestCachedDefaultClockIsMonotonic(t *testing.T) {
	tests := []struct {
		name     string
		clock    func() time.Time
		wantFake bool
	}{
		{name: "default clock", clock: nil, wantFake: false},
		{name: "injected clock", clock: newFakeClock().Now, wantFake: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := NewSessionVerifier(NewMemorySessionStore(nil), SessionOptions{})
			if err != nil {
				t.Fatal(err)
			}
			c, err := NewCached(v, CacheConfig{Clock: tc.clock})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if c.fake != tc.wantFake {
				t.Fatalf("reads the injected clock on hits: %v, want %v", c.fake, tc.wantFake)
			}
		})
	}
}
