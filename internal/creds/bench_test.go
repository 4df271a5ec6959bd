package creds_test

import (
	"testing"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/verifiers"
)

// BenchmarkMint mints b.N credentials in one Mint, each distinct
// (ReuseUnique, the worst case), per kind and for a typical mix, and reports
// credentials per second. The time to mint a run's credentials before its
// clock starts: -benchtime 100000x for 100,000.
func BenchmarkMint(b *testing.B) {
	mixes := []struct {
		name string
		mix  []creds.Spec
	}{
		{name: "jwt-hs256", mix: []creds.Spec{{Kind: "jwt-hs256"}}},
		{name: "jwt-es256", mix: []creds.Spec{{Kind: "jwt-es256"}}},
		{name: "jwt-eddsa", mix: []creds.Spec{{Kind: "jwt-eddsa"}}},
		{name: "jwt-rs256", mix: []creds.Spec{{Kind: "jwt-rs256"}}},
		{name: "apikey", mix: []creds.Spec{{Kind: "apikey"}}},
		{name: "session", mix: []creds.Spec{{Kind: "session"}}},
		{name: "mixed", mix: []creds.Spec{
			{Kind: "jwt-hs256", Weight: 60}, {Kind: "apikey", Weight: 15}, {Kind: "session", Weight: 15},
			{Kind: "jwt-expired", Weight: 2}, {Kind: "jwt-bad-signature", Weight: 2},
			{Kind: "apikey-revoked", Weight: 2}, {Kind: "session-unknown", Weight: 2},
			{Kind: "missing", Weight: 2},
		}},
	}
	for _, m := range mixes {
		b.Run(m.name, func(b *testing.B) {
			b.ReportAllocs()
			e := newEmbedded(b, verifiers.AlgHS256)
			b.ResetTimer()
			_, err := creds.Mint(b.Context(), e.cfg, creds.Plan{Identities: b.N, Handshakes: b.N,
				Reuse: creds.Reuse{Pattern: creds.ReuseUnique}, Mix: m.mix})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "creds/s")
		})
	}
}
