package server

import (
	"errors"
	"net"
	"net/http"
	"testing"

	"github.com/gatecrash/gatecrash/server/internal/rawio"
)

// TestProfiles_SeedGapHolesHardenedClosed runs the same probes against both
// profiles: the seed-gap server shows the analysed application's holes, the
// hardened one shows none.
func TestProfiles_SeedGapHolesHardenedClosed(t *testing.T) {
	cases := []struct {
		name, nsp, auth   string
		hardened, seedGap string // "ok" or the code
	}{
		{name: "F-01 /admin without credential", nsp: "/admin", hardened: "missing", seedGap: "ok"},
		{name: "F-01 /admin with bad token", nsp: "/admin", auth: `{"token":"jwt-bad"}`,
			hardened: "bad_signature", seedGap: "ok"},
		{name: "/api with a good token", nsp: "/api", auth: `{"token":"jwt-user"}`,
			hardened: "ok", seedGap: "ok"},
		{name: "F-01 /api without credential", nsp: "/api", hardened: "missing", seedGap: "ok"},
		{name: "F-01 /api with bad token", nsp: "/api", auth: `{"token":"jwt-bad"}`,
			hardened: "bad_signature", seedGap: "ok"},
		{name: "/ without credential", nsp: "/", hardened: "missing", seedGap: "missing"},
	}
	for _, p := range []Profile{ProfileHardened, ProfileSeedGap} {
		s := start(t, Config{Profile: p})
		for _, tr := range transports {
			for _, tc := range cases {
				t.Run(string(p)+"/"+string(tr)+"/"+tc.name, func(t *testing.T) {
					w := tc.hardened
					if p == ProfileSeedGap {
						w = tc.seedGap
					}
					checkAnswer(t, dial(t, s, tr, nil), tc.nsp, tc.auth, w)
				})
			}
		}
	}
}

// TestSeedGap_E08_ForeignOriginCookieAccepted: the seed-gap profile has no
// Origin check on cookie handshakes over polling.
func TestSeedGap_E08_ForeignOriginCookieAccepted(t *testing.T) {
	s := start(t, Config{Profile: ProfileSeedGap})
	h := http.Header{"Origin": {"https://evil.example"}, "Cookie": {sessionCookie + "=sess-admin"}}
	checkAnswer(t, dial(t, s, rawio.Polling, h), "/", "", "ok")
}

// fakeListener reports a non-loopback address and never accepts.
type fakeListener struct{ net.Listener }

func (fakeListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 80} }

// TestSeedGap_RefusesNonLoopback: the seed-gap profile will not serve on a
// non-loopback address, and warns at start.
func TestSeedGap_RefusesNonLoopback(t *testing.T) {
	s, err := New(Config{Profile: ProfileSeedGap, Verifiers: fakeVerifiers()})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	if err := s.Start(fakeListener{}); !errors.Is(err, ErrNotLoopback) {
		t.Fatalf("Start on 192.0.2.1: %v, want ErrNotLoopback", err)
	}
	if len(s.Warnings()) < 2 {
		t.Errorf("warnings %q: want the seed-gap warning and the public /admin warning", s.Warnings())
	}
}
