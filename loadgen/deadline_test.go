package loadgen

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestReadDeadlineFollowsEachContext: a read deadline kept from an earlier
// call's context is never reused for a later context with another
// deadline: a silent server fails the later read at its own deadline, not
// at the earlier, distant one.
func TestReadDeadlineFollowsEachContext(t *testing.T) {
	tests := []struct {
		name  string
		first time.Duration // deadline of the context of the first read
	}{
		{name: "later deadline sooner", first: time.Hour},
		{name: "same context kind, no deadline first", first: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeServer(t, fakeGood)
			c, err := Dial(context.Background(), f.URL, &Handshake{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			first, cancel := context.Background(), context.CancelFunc(func() {})
			if tc.first > 0 {
				first, cancel = context.WithTimeout(first, tc.first)
			}
			defer cancel()
			if _, err := c.Connect(first, "/", []byte(`{"token":"good:alice"}`)); err != nil {
				t.Fatal(err)
			}
			if err := c.Emit("/", []byte(`["unanswered"]`)); err != nil {
				t.Fatal(err)
			}

			second, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel2()
			done := make(chan error, 1)
			go func() { _, err := c.ReadPacket(second); done <- err }()
			select {
			case err := <-done:
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("ReadPacket: %v, want a deadline error", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("ReadPacket ignored its context's deadline")
			}
		})
	}
}
