package verifiers

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestVerifyAndRevokeConcurrently runs many verifying goroutines while one
// revokes, for each revocable verifier, cached and uncached, over every
// backend. A verification that starts after the revocation returned must
// reject; one that ends before the revocation started must accept (run with
// -race). In between either is right: a remote store's change is visible
// before its reply arrives.
func TestVerifyAndRevokeConcurrently(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		for _, tc := range revocationCases {
			for _, m := range modes {
				t.Run(tc.kind+"/"+m.name, func(t *testing.T) {
					v, cred, revoke := tc.setup(t, b)
					raceRevocation(t, m.wrap(t, v, nil), cred, revoke)
				})
			}
		}
	})
}

func raceRevocation(t *testing.T, v Verifier, cred Credential, revoke func()) {
	const workers, iterations = 8, 300
	var revoking, revoked atomic.Bool
	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for i := 0; i < iterations; i++ {
				wasRevoked := revoked.Load()
				_, err := v.Verify(context.Background(), cred)
				if wasRevoked && err == nil {
					t.Error("accepted after the revocation returned")
					return
				}
				if err != nil && !revoking.Load() {
					t.Errorf("rejected before any revocation: %v", err)
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-start
		time.Sleep(time.Millisecond)
		revoking.Store(true)
		revoke()
		revoked.Store(true)
	}()
	close(start)
	wg.Wait()
	if _, err := v.Verify(context.Background(), cred); err == nil {
		t.Fatal("accepted after all goroutines finished")
	}
}
