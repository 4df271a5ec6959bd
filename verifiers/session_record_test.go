package verifiers

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// touchPath is one way a verification reaches a memory record: Verify's
// Touch followed by Session.expired, or a cached hit's touchLive.
type touchPath struct {
	name  string
	touch func(s *MemorySessionStore, id string, at time.Time) (live bool, err error)
}

var touchPaths = []touchPath{
	{name: "Touch", touch: func(s *MemorySessionStore, id string, at time.Time) (bool, error) {
		rec, err := s.Touch(context.Background(), id, at)
		return err == nil && !rec.expired(at), err
	}},
	{name: "touchLive", touch: func(s *MemorySessionStore, id string, at time.Time) (bool, error) {
		err := s.touchLive(context.Background(), id, at)
		if errors.Is(err, errSessionDead) {
			return false, nil
		}
		return err == nil, err
	}},
}

// clockKinds are the two kinds of time a store may be given: with a
// monotonic reading (time.Now, the default session clock) and wall-only (an
// injected clock).
var clockKinds = []struct {
	name string
	base time.Time
}{
	{name: "monotonic", base: time.Now()},
	{name: "wall-only", base: time.Now().Round(0)},
}

// TestSessionIdleExpiryExact: the atomic last-seen decides at the
// nanosecond exactly as Session.expired on the record did under a lock: live
// until LastSeen+IdleTimeout and Expires, expired from them on; a touch at an
// earlier time never moves LastSeen back; an expired touch slides nothing.
// Both paths and both kinds of clock.
func TestSessionIdleExpiryExact(t *testing.T) {
	const idle, absolute = 10 * time.Minute, time.Hour
	steps := []struct {
		name         string
		at           time.Duration // from Created
		wantLive     bool
		wantLastSeen time.Duration // from Created, after the step
	}{
		{name: "first use slides", at: 9 * time.Minute, wantLive: true, wantLastSeen: 9 * time.Minute},
		{name: "last nanosecond of idle", at: 19*time.Minute - 1, wantLive: true,
			wantLastSeen: 19*time.Minute - 1},
		{name: "earlier time does not move back", at: 10 * time.Minute, wantLive: true,
			wantLastSeen: 19*time.Minute - 1},
		{name: "idle deadline itself expires", at: 29*time.Minute - 1, wantLive: false,
			wantLastSeen: 19*time.Minute - 1},
		{name: "live again before the deadline", at: 29*time.Minute - 2, wantLive: true,
			wantLastSeen: 29*time.Minute - 2},
		{name: "used within idle", at: 38 * time.Minute, wantLive: true, wantLastSeen: 38 * time.Minute},
		{name: "used within idle again", at: 47 * time.Minute, wantLive: true, wantLastSeen: 47 * time.Minute},
		{name: "used near absolute", at: 56 * time.Minute, wantLive: true, wantLastSeen: 56 * time.Minute},
		{name: "last nanosecond before absolute", at: absolute - 1, wantLive: true,
			wantLastSeen: absolute - 1},
		{name: "absolute expiry itself expires", at: absolute, wantLive: false, wantLastSeen: absolute - 1},
	}
	for _, ck := range clockKinds {
		for _, p := range touchPaths {
			t.Run(ck.name+"/"+p.name, func(t *testing.T) {
				store := NewMemorySessionStore(func() time.Time { return ck.base })
				sess, err := store.Create(context.Background(), "user-1", nil, idle, absolute)
				if err != nil {
					t.Fatal(err)
				}
				for i, st := range steps {
					at := sess.Created.Add(st.at)
					live, err := p.touch(store, sess.ID, at)
					if err != nil {
						t.Fatalf("step %d %q: %v", i, st.name, err)
					}
					got, _ := store.Get(context.Background(), sess.ID)
					if live != st.wantLive || !got.LastSeen.Equal(sess.Created.Add(st.wantLastSeen)) {
						t.Fatalf("step %d %q: live %v, LastSeen +%v; want %v, +%v", i, st.name,
							live, got.LastSeen.Sub(sess.Created), st.wantLive, st.wantLastSeen)
					}
				}
			})
		}
	}
}

// TestSessionConcurrentHitsNeverMoveBack: touches of one session from many
// goroutines, through a cached hit's path (touchLive) and Verify's (Touch)
// at once, each with its own descending times, while an observer
// reads the record: LastSeen never goes backward and ends at the latest
// time given (run with -race).
func TestSessionConcurrentHitsNeverMoveBack(t *testing.T) {
	const workers, touches = 4, 300
	store := NewMemorySessionStore(nil)
	sess, err := store.Create(context.Background(), "user-1", nil, time.Hour, 2*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	observed := make(chan error, 1)
	go func() { observed <- observeLastSeen(store, sess.ID, done) }()

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			p := touchPaths[w%len(touchPaths)]
			for i := touches; i > 0; i-- {
				at := sess.Created.Add(time.Duration(i*workers+w) * time.Millisecond)
				if live, err := p.touch(store, sess.ID, at); !live || err != nil {
					t.Errorf("%s at +%v: live %v, %v", p.name, at.Sub(sess.Created), live, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(done)
	if err := <-observed; err != nil {
		t.Fatal(err)
	}
	got, _ := store.Get(context.Background(), sess.ID)
	if want := sess.Created.Add((touches*workers + workers - 1) * time.Millisecond); !got.LastSeen.Equal(want) {
		t.Fatalf("LastSeen +%v, want the latest touch +%v", got.LastSeen.Sub(sess.Created), want.Sub(sess.Created))
	}
}

// observeLastSeen reads the record until done and reports a LastSeen that
// went backward.
func observeLastSeen(store *MemorySessionStore, id string, done <-chan struct{}) error {
	var prev time.Time
	for {
		select {
		case <-done:
			return nil
		default:
		}
		rec, err := store.Get(context.Background(), id)
		if err != nil {
			return err
		}
		if rec.LastSeen.Before(prev) {
			return errors.New("LastSeen moved backward from " + prev.String() + " to " + rec.LastSeen.String())
		}
		prev = rec.LastSeen
	}
}
