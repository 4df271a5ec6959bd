package creds_test

import (
	"context"
	"errors"
	"testing"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/verifiers"
)

// TestMintShare_UnionIsTheWholePlan: the shares of a plan give every
// handshake the kind, subject and source the whole plan gives it.
func TestMintShare_UnionIsTheWholePlan(t *testing.T) {
	e := newEmbedded(t, verifiers.AlgHS256)
	tests := []struct {
		name   string
		reuse  creds.Pattern
		shares int
	}{
		{name: "uniform over three", reuse: creds.ReuseUniform, shares: 3},
		{name: "unique over four", reuse: creds.ReuseUnique, shares: 4},
		{name: "zipf over two", reuse: creds.ReuseZipf, shares: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := creds.Plan{
				Identities: 50, Reuse: creds.Reuse{Pattern: tt.reuse, S: 1.1}, Handshakes: 101, Seed: 7,
				Mix: []creds.Spec{{Kind: "jwt", Weight: 3}, {Kind: "apikey"}, {Kind: "jwt-expired"},
					{Kind: "session", Source: verifiers.SourceCookie}},
			}
			whole, err := creds.Mint(context.Background(), e.cfg, plan)
			if err != nil {
				t.Fatal(err)
			}
			total := 0
			for k := range tt.shares {
				share := creds.Share{Index: k, Count: tt.shares}
				set, err := creds.MintShare(context.Background(), e.cfg, plan, share)
				if err != nil {
					t.Fatal(err)
				}
				if set.Len() != share.Len(plan.Handshakes) {
					t.Fatalf("share %d: %d handshakes, want %d", k, set.Len(), share.Len(plan.Handshakes))
				}
				for j := range set.Len() {
					got, want := set.At(j), whole.At(k+j*tt.shares)
					if got.Kind != want.Kind || got.Subject != want.Subject || got.Source != want.Source {
						t.Errorf("share %d handshake %d: %s %s %s, want %s %s %s", k, j,
							got.Kind, got.Subject, got.Source, want.Kind, want.Subject, want.Source)
					}
				}
				total += set.Len()
			}
			if total != plan.Handshakes {
				t.Errorf("shares cover %d handshakes, want %d", total, plan.Handshakes)
			}
		})
	}
}

func TestMintShare_InvalidShare(t *testing.T) {
	e := newEmbedded(t, verifiers.AlgHS256)
	plan := creds.Plan{Identities: 2, Handshakes: 2, Mix: []creds.Spec{{Kind: "jwt"}}}
	tests := []struct {
		name  string
		share creds.Share
	}{
		{name: "index past count", share: creds.Share{Index: 3, Count: 3}},
		{name: "negative index", share: creds.Share{Index: -1, Count: 2}},
		{name: "share without handshakes", share: creds.Share{Index: 2, Count: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := creds.MintShare(context.Background(), e.cfg, plan, tt.share)
			if !errors.Is(err, creds.ErrPlan) {
				t.Errorf("err = %v, want ErrPlan", err)
			}
		})
	}
}
