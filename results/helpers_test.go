package results

import (
	"math/rand/v2"
	"time"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time      { return c.t }
func (c *fakeClock) Add(d time.Duration) { c.t = c.t.Add(d) }
func newFakeClock() *fakeClock           { return &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }
func ms(f float64) time.Duration         { return time.Duration(f * float64(time.Millisecond)) }
func phases(connect, total time.Duration) [NumPhases]time.Duration {
	var p [NumPhases]time.Duration
	p[PhaseConnect], p[PhaseTotal], p[PhaseService] = connect, total, total
	return p
}

// genSamples returns n deterministic samples over a few namespaces, kinds
// and outcomes, spread over the first ten seconds.
func genSamples(seed uint64, n int) []Sample {
	rng := rand.New(rand.NewPCG(seed, 42))
	nss := []string{"/", "/admin", "/api"}
	kinds := []struct {
		kind   string
		expect Expect
	}{{"jwt", ExpectAccept}, {"jwt-expired", ExpectReject}, {"apikey", ExpectAccept}, {"missing", ExpectReject}}
	out := make([]Sample, n)
	for i := range out {
		k := kinds[rng.IntN(len(kinds))]
		s := Sample{
			Offset:    time.Duration(rng.Int64N(int64(10 * time.Second))),
			Namespace: nss[rng.IntN(len(nss))], Kind: k.kind, Expect: k.expect,
			ConnFirst: rng.IntN(3) == 0, Late: rng.IntN(50) == 0,
		}
		switch r := rng.IntN(100); {
		case r < 2:
			s.Outcome, s.Code = OutcomeTimeout, ""
		case k.expect == ExpectAccept:
			s.Outcome, s.IdentityChecked, s.IdentityOK = OutcomeAccepted, true, r != 99
		default:
			s.Outcome, s.Code = OutcomeRejected, "expired"
		}
		c := time.Duration(200+rng.IntN(5000)) * time.Microsecond
		s.Phases = phases(c, c+time.Duration(rng.IntN(3000))*time.Microsecond)
		if s.ConnFirst {
			s.Phases[PhaseDial] = time.Duration(50+rng.IntN(300)) * time.Microsecond
		}
		out[i] = s
	}
	return out
}
