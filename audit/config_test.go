package audit

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestConfig_Validation(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want error
	}{
		{name: "no target", cfg: Config{}, want: ErrConfig},
		{name: "not a URL", cfg: Config{Target: "127.0.0.1:80"}, want: ErrConfig},
		{name: "remote refused", cfg: Config{Target: "http://192.0.2.1"}, want: ErrNotLoopback},
		{name: "remote name refused", cfg: Config{Target: "https://example.com"}, want: ErrNotLoopback},
		{name: "remote allowed", cfg: Config{Target: "http://192.0.2.1", AllowRemote: true}},
		{name: "loopback v4", cfg: Config{Target: "ws://127.0.0.2:3000"}},
		{name: "loopback v6", cfg: Config{Target: "http://[::1]:3000"}},
		{name: "localhost", cfg: Config{Target: "http://localhost:3000"}},
		{name: "namespace without slash", cfg: Config{Target: "http://127.0.0.1",
			Namespaces: []Namespace{{Name: "admin"}}}, want: ErrConfig},
		{name: "unknown transport", cfg: Config{Target: "http://127.0.0.1",
			Transports: []Transport{"carrier-pigeon"}}, want: ErrConfig},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.cfg.withDefaults()
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Errorf("withDefaults: %v, want %v", err, tc.want)
			}
		})
	}
}

// TestConfig_DefaultsDoNotTouchCaller: filling defaults copies the caller's
// slices and always audits "/".
func TestConfig_DefaultsDoNotTouchCaller(t *testing.T) {
	ns := []Namespace{{Name: "/admin", Roles: []string{"admin"}}}
	in := Config{Target: "http://127.0.0.1:1", Namespaces: ns}
	out, err := in.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	out.Namespaces[1].Roles[0] = "changed"
	switch {
	case ns[0].Roles[0] != "admin":
		t.Error("the caller's roles were changed")
	case len(out.Namespaces) != 2 || out.Namespaces[0].Name != "/":
		t.Errorf("namespaces %v, want / added first", out.Namespaces)
	case in.Rate != 0 || out.Rate != DefaultRate || out.DecisionBudget != DefaultDecisionBudget:
		t.Errorf("defaults: rate %v budget %v (caller's rate %v)", out.Rate, out.DecisionBudget, in.Rate)
	}
}

// TestRun_BudgetRefusedBeforeAnyRequest: a plan larger than MaxRequests
// fails with ErrBudget, and nothing is sent (the target does not exist).
func TestRun_BudgetRefusedBeforeAnyRequest(t *testing.T) {
	_, err := Run(context.Background(), Config{Target: "http://127.0.0.1:1", MaxRequests: 5})
	if !errors.Is(err, ErrBudget) {
		t.Fatalf("Run: %v, want ErrBudget", err)
	}
}

// TestRun_Unreachable: a target that refuses every connection is an error,
// not a clean report.
func TestRun_Unreachable(t *testing.T) {
	cfg := fastConfig("http://127.0.0.1:1")
	cfg.Kinds, cfg.Groups = []string{"missing"}, []Group{GroupNamespaces}
	if _, err := Run(context.Background(), cfg); !errors.Is(err, ErrUnreachable) {
		t.Fatalf("Run: %v, want ErrUnreachable", err)
	}
}

// TestLimiter_RateAndBudget: starts are spaced by the rate, and the budget
// is a hard stop.
func TestLimiter_RateAndBudget(t *testing.T) {
	l := newLimiter(100, 3)
	ctx := context.Background()
	start := time.Now()
	for range 3 {
		if err := l.wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if el := time.Since(start); el < 15*time.Millisecond {
		t.Errorf("3 starts at 100/s took %v, want at least 20 ms of spacing", el)
	}
	if err := l.wait(ctx); !errors.Is(err, ErrBudget) {
		t.Errorf("4th start: %v, want ErrBudget", err)
	}
	if l.count() != 3 {
		t.Errorf("count %d, want 3", l.count())
	}
}
