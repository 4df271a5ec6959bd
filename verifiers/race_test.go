package verifiers

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestVerifyAndRevokeConcurrently runs many verifying goroutines while one
// revokes, for each revocable verifier, cached and uncached. A verification
// that starts after the revocation returned must reject (run with -race).
func TestVerifyAndRevokeConcurrently(t *testing.T) {
	for _, tc := range revocationCases {
		for _, m := range modes {
			t.Run(tc.kind+"/"+m.name, func(t *testing.T) {
				v, cred, revoke := tc.setup(t)
				raceRevocation(t, m.wrap(t, v, nil), cred, revoke)
			})
		}
	}
}

func raceRevocation(t *testing.T, v Verifier, cred Credential, revoke func()) {
	const workers, iterations = 8, 300
	var revoked atomic.Bool
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
				if err != nil && !wasRevoked && !revoked.Load() {
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
		revoke()
		revoked.Store(true)
	}()
	close(start)
	wg.Wait()
	if _, err := v.Verify(context.Background(), cred); err == nil {
		t.Fatal("accepted after all goroutines finished")
	}
}
