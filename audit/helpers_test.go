package audit

import (
	"context"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/server"
)

// startReference starts the embedded reference server with profile p and
// returns it; it stops with the test.
func startReference(t *testing.T, p server.Profile) *runner.Reference {
	t.Helper()
	return startReferenceWith(t, server.Config{Profile: p})
}

// startReferenceWith starts the embedded reference server configured by sc;
// it stops with the test.
func startReferenceWith(t *testing.T, sc server.Config) *runner.Reference {
	t.Helper()
	ref, err := runner.StartReference(runner.ReferenceConfig{
		Server: sc, Issuer: "gatecrash", Audience: "gatecrash",
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ref.Close() })
	return ref
}

// referenceNamespaces are the namespaces of server.DefaultPolicy with their
// roles: what a user auditing the reference server would list.
func referenceNamespaces() []Namespace {
	return []Namespace{{Name: "/"}, {Name: "/admin", Roles: []string{"admin"}}, {Name: "/api"}}
}

// fastConfig is a Config for tests: short budgets, no rate to speak of.
func fastConfig(target string) Config {
	return Config{
		Target:         target,
		DecisionBudget: 2 * time.Second,
		SlowDecision:   time.Second,
		Rate:           2000,
		Concurrency:    4,
	}
}

// audit runs cfg and fails the test on error.
func audit(t *testing.T, cfg Config) *Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r, err := Run(ctx, cfg)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return r
}
