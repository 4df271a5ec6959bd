package verifiers

import (
	"context"
	"errors"
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
			if at := c.At(before); at.Before(before) || at.After(after) {
				t.Fatalf("At(%v) = %v outside [%v, %v]", before, at, before, after)
			}

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

// TestCachedSessionHitSlidesIdleTimer: with the system clock on both sides,
// a cached hit judges the session at the cache's own clock reading and
// still slides the record's idle timer, as an uncached verification would.
func TestCachedSessionHitSlidesIdleTimer(t *testing.T) {
	ctx := context.Background()
	store := NewMemorySessionStore(nil)
	sess, err := store.Create(ctx, "user-1", []string{"user"}, time.Hour, 2*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewSessionVerifier(store, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewCached(v, CacheConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cred := Credential{Method: MethodSession, Source: SourceCookie, Value: sess.ID}
	for c.Stats().Hits == 0 {
		if _, err := c.Verify(ctx, cred); err != nil {
			t.Fatal(err)
		}
		c.Wait()
	}

	before, _ := store.Get(ctx, sess.ID)
	time.Sleep(2 * time.Millisecond)
	hits := c.Stats().Hits
	if _, err := c.Verify(ctx, cred); err != nil {
		t.Fatal(err)
	}
	after, _ := store.Get(ctx, sess.ID)
	if c.Stats().Hits != hits+1 {
		t.Fatal("the verification was not a cache hit")
	}
	if !after.LastSeen.After(before.LastSeen) || after.LastSeen.After(time.Now()) {
		t.Fatalf("LastSeen %v after a hit, was %v", after.LastSeen, before.LastSeen)
	}
	if err := store.Destroy(ctx, sess.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Verify(ctx, cred); !errors.Is(err, ReasonUnknown) {
		t.Fatalf("hit after Destroy: %v, want %s", err, ReasonUnknown)
	}
}
