package audit

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/verifiers"
)

// TestCaseKinds_CaughtAndPassed runs each case kind against the fake server
// given that kind's fault, where the audit must report the finding, and
// against the correct fake, where the same case must have nothing above
// info.
func TestCaseKinds_CaughtAndPassed(t *testing.T) {
	key, err := verifiers.GenerateSigningKey(verifiers.AlgHS256)
	if err != nil {
		t.Fatal(err)
	}
	correct := startFake(t, fault{}, key)
	tests := []struct {
		name  string
		fault fault
		group Group
		want  string // "severity case namespace" of the finding
		// finding, when set, must start the finding's text.
		finding string
	}{
		{name: "F-01 io.use guards only /", fault: fault{mainOnly: true}, group: GroupNamespaces,
			want: "critical F-01 /admin"},
		{name: "F-09 unknown namespace created open", fault: fault{dynamic: true}, group: GroupNamespaces,
			want: "critical F-09 /gatecrash-audit-"},
		{name: "F-03 child namespace open", fault: fault{dynamic: true}, group: GroupNamespaces,
			want: "critical F-03 /admin/audit-child"},
		{name: "F-09 spelling variant unguarded", fault: fault{aliases: true}, group: GroupNamespaces,
			want: "critical F-09 /ADMIN"},
		{name: "C-16 role not checked", fault: fault{noRoleCheck: true}, group: GroupNamespaces,
			want: "critical C-16 /admin"},
		{name: "A-06 token taken from a string payload", fault: fault{lenientPayload: true},
			group: GroupProtocol, want: "critical A-06 /admin"},
		{name: "A-07 token taken from an array payload", fault: fault{lenientPayload: true},
			group: GroupProtocol, want: "critical A-07 /"},
		{name: "A-10 trailing bytes ignored", fault: fault{trailing: true}, group: GroupProtocol,
			want: "info A-10 /admin", finding: "trailing bytes after the auth object were ignored"},
		{name: "A-14 oversized frame read on an open namespace", fault: fault{mainOnly: true, noSizeCap: true},
			group: GroupProtocol, want: "critical A-14 /admin"},
		{name: "F-06 joined session trusted", fault: fault{sessionTrust: true}, group: GroupProtocol,
			want: "critical F-06 /admin"},
		{name: "F-07 pipelined CONNECTs both accepted", fault: fault{sessionTrust: true},
			group: GroupProtocol, want: "high F-07 /admin"},
		{name: "F-08 event handled before CONNECT", fault: fault{eventsUnjoined: true},
			group: GroupProtocol, want: "high F-08 /admin"},
		{name: "reject by closing the transport", fault: fault{closeReject: true}, group: GroupNamespaces,
			want: "medium F-01 /admin", finding: findClosed},
		{name: "A-16 no decision (silence until timeout)", fault: fault{silent: true},
			group: GroupNamespaces, want: "medium F-01 /admin", finding: "no decision within"},
		{name: "slow decision", fault: fault{slow: 900 * time.Millisecond}, group: GroupNamespaces,
			want: "medium F-01 /admin", finding: "decision slower than"},
		{name: "rejection message leaks detail", fault: fault{leak: true}, group: GroupNamespaces,
			want: "medium F-01 /admin", finding: findLeak},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			caseID := strings.Fields(tc.want)[1]
			faulty := fakeAudit(t, startFake(t, tc.fault, key).URL, key, tc.group)
			if !hasFinding(faulty, tc.want, tc.finding) {
				t.Errorf("%s not found on the faulty server:\n%s", tc.want, summary(faulty))
			}
			clean := fakeAudit(t, correct.URL, key, tc.group)
			for _, c := range clean.Findings() {
				if c.Case == caseID && c.Severity > SeverityInfo {
					t.Errorf("the correct server fails %s: %s %s %s (%s)", caseID, c.Severity, c.Namespace,
						c.Finding, c.Kind)
				}
			}
		})
	}
}

// fakeAudit audits a fake server over websocket with a few kinds.
func fakeAudit(t *testing.T, url string, key *verifiers.SigningKey, g Group) *Report {
	t.Helper()
	cfg := fastConfig(url)
	cfg.Namespaces = []Namespace{{Name: "/"}, {Name: "/admin", Roles: []string{"admin"}}}
	cfg.Material.Keys = []*verifiers.SigningKey{key}
	cfg.Kinds = []string{"jwt", "missing", "jwt-bad-signature", "jwt-expired"}
	cfg.Transports = []Transport{WebSocket}
	cfg.Groups = []Group{g}
	cfg.Concurrency = 8
	// The slow fault waits 900 ms: past SlowDecision, within the budget,
	// with room for a loaded machine on both sides.
	cfg.DecisionBudget, cfg.SlowDecision = 1500*time.Millisecond, 600*time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// hasFinding reports whether r has a failed check matching want
// ("severity case namespace-prefix") whose finding starts with finding.
func hasFinding(r *Report, want, finding string) bool {
	f := strings.Fields(want)
	for _, c := range r.Findings() {
		if fmt.Sprint(c.Severity) == f[0] && c.Case == f[1] && strings.HasPrefix(c.Namespace, f[2]) &&
			strings.HasPrefix(c.Finding, finding) {
			return true
		}
	}
	return false
}
