package scenarios

import (
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/results"
)

func TestBuiltinsLoad(t *testing.T) {
	tests := []struct {
		name       string
		embedded   bool
		model      Model
		planned    time.Duration
		handshakes int64
	}{
		{name: "quickstart", embedded: true, model: ModelOpen, planned: 30 * time.Second, handshakes: 8250},
		{name: "node-peer", model: ModelOpen, planned: 30 * time.Second, handshakes: 8250},
		{name: "hold", model: ModelHold, planned: 80 * time.Second, handshakes: 10000},
		{name: "hold-100k", model: ModelHold, planned: 260 * time.Second, handshakes: 100000},
		{name: "revocation-lag", embedded: true, model: ModelOpen, planned: 15 * time.Second, handshakes: 1500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Load(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if (s.Target == nil) != tt.embedded || s.Load.Model != tt.model || s.Name != tt.name {
				t.Errorf("target %v, model %s, name %s", s.Target, s.Load.Model, s.Name)
			}
			if got := s.Load.PlannedDuration(); got != tt.planned {
				t.Errorf("planned duration = %v, want %v", got, tt.planned)
			}
			if got, _ := s.Load.PlannedHandshakes(); got != tt.handshakes {
				t.Errorf("planned handshakes = %d, want %d", got, tt.handshakes)
			}
			if s.Source != "builtin:"+tt.name {
				t.Errorf("source = %q", s.Source)
			}
		})
	}
	if got := Builtins(); len(got) != len(tests) {
		t.Errorf("Builtins() = %v, want %d scenarios", got, len(tests))
	}
}

func TestQuickstartExpectations(t *testing.T) {
	s, err := Load("quickstart.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := map[[2]string]results.Expect{
		{"/", "jwt"}:                  results.ExpectAccept,
		{"/", "session"}:              results.ExpectAccept,
		{"/", "apikey"}:               results.ExpectReject,
		{"/admin", "jwt"}:             results.ExpectReject,
		{"/admin", "jwt[admin]"}:      results.ExpectAccept,
		{"/api", "apikey"}:            results.ExpectAccept,
		{"/api", "jwt[admin]"}:        results.ExpectAccept,
		{"/api", "missing"}:           results.ExpectReject,
		{"/", "jwt-expired"}:          results.ExpectReject,
		{"/api", "apikey-revoked"}:    results.ExpectReject,
		{"/admin", "session-unknown"}: results.ExpectReject,
	}
	got := make(map[[2]string]results.Expect)
	for _, e := range s.Expectations() {
		got[[2]string{e.Namespace, e.Label}] = e.Expect
	}
	if len(got) != 3*11 {
		t.Errorf("%d expectations, want 33", len(got))
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s × %s: expect %s, want %s", k[0], k[1], got[k], w)
		}
	}
}
