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
	tests := []struct {
		kind  string
		setup func(t *testing.T) (Verifier, Credential, func())
	}{
		{kind: "apikey_revoke", setup: func(t *testing.T) (Verifier, Credential, func()) {
			f := newAPIKeyFix(t)
			return f.verifier(), Credential{Value: f.key}, func() { _ = f.store.Revoke(context.Background(), f.rec.ID) }
		}},
		{kind: "jwt_denylist", setup: func(t *testing.T) (Verifier, Credential, func()) {
			f := newJWTFix(t)
			return f.verifier(nil), Credential{Value: f.good()}, func() { f.deny.Revoke("jti-1", f.clock.Now().Add(time.Hour)) }
		}},
		{kind: "session_destroy", setup: func(t *testing.T) (Verifier, Credential, func()) {
			f := newSessionFix(t)
			return f.verifier(), Credential{Value: f.sess.ID}, func() { _ = f.store.Destroy(context.Background(), f.sess.ID) }
		}},
	}
	for _, tc := range tests {
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
