package verifiers

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestSessionRecheckRejectsWhatVerifyRejects: Recheck skips only the shape
// scan of an id Verify accepted; any other credential it is given is still
// rejected, never confirmed.
func TestSessionRecheckRejectsWhatVerifyRejects(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) { recheckCases(t, newSessionFixOn(t, b)) })
}

func recheckCases(t *testing.T, f *sessionFix) {
	v := f.verifier()
	malformed := f.sess.ID[:sessionIDLen-1] + "!"
	tests := []struct {
		name   string
		source Source
		value  string
		want   Reason
	}{
		{name: "missing", source: SourceCookie, value: "", want: ReasonMissing},
		{name: "oversize", source: SourceCookie, value: string(make([]byte, 5*sessionIDLen)),
			want: ReasonTooLarge},
		{name: "query refused", source: SourceQuery, value: f.sess.ID, want: ReasonForbidden},
		{name: "malformed", source: SourceCookie, value: malformed, want: ReasonUnknown},
		{name: "unknown", source: SourceCookie, value: randomToken(sessionIDBytes), want: ReasonUnknown},
		{name: "live", source: SourceCookie, value: f.sess.ID, want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cred := Credential{Method: MethodSession, Source: tc.source, Value: tc.value}
			err := v.Recheck(context.Background(), cred, Identity{})
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Recheck: %v, want acceptance", err)
			case tc.want != "" && !errors.Is(err, tc.want):
				t.Fatalf("Recheck: %v, want %s", err, tc.want)
			}
		})
	}
}

// TestMemorySessionTouchConcurrent: concurrent touches of one record, with
// sweeps and a final destroy, leave LastSeen at the latest touch (never
// moved backward) and the record gone after Destroy (run with -race).
func TestMemorySessionTouchConcurrent(t *testing.T) {
	const workers, touches = 4, 200
	ctx := context.Background()
	store := NewMemorySessionStore(nil)
	sess, err := store.Create(ctx, "user-1", []string{"user"}, time.Hour, 2*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := touches; i > 0; i-- { // later touches carry earlier times
				at := sess.LastSeen.Add(time.Duration(w*touches+i) * time.Millisecond)
				if _, err := store.Touch(ctx, sess.ID, at); err != nil {
					t.Error(err)
					return
				}
			}
			store.Sweep()
		}()
	}
	wg.Wait()

	got, err := store.Get(ctx, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := sess.LastSeen.Add(workers * touches * time.Millisecond); !got.LastSeen.Equal(want) {
		t.Fatalf("LastSeen %v, want the latest touch %v", got.LastSeen, want)
	}
	if err := store.Destroy(ctx, sess.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Touch(ctx, sess.ID, got.LastSeen); !errors.Is(err, ErrSessionNotFound) {
		t.Fatalf("Touch after Destroy: %v, want ErrSessionNotFound", err)
	}
}
