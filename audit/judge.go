package audit

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gatecrash/gatecrash/results"
)

// want is what a case requires of the server.
type want int

const (
	// wantReject: a missing or bad credential; CONNECT_ERROR (or an HTTP 4xx
	// at the handshake) passes, closing the transport is a medium finding.
	wantReject want = iota
	// wantAccept: a good credential; anything but acceptance is info, since
	// the audit cannot know every namespace's method.
	wantAccept
	// wantRefuse: a protocol violation; closing the transport,
	// CONNECT_ERROR and an HTTP 4xx all pass.
	wantRefuse
)

// rule is how one check is judged.
type rule struct {
	want want
	// onAccept ranks an acceptance when want is not wantAccept; accepted
	// explains it.
	onAccept Severity
	accepted string
	// onSilence ranks a missing answer (default medium: CASES.md requires a
	// decision within budget).
	onSilence Severity
}

// Findings shared by many checks. They name no credential kind, so a report
// can group the checks they describe.
const (
	findBadAccepted = "a missing or bad credential was accepted"
	findClosed      = "rejected by closing the transport instead of CONNECT_ERROR"
	findGoodRefused = "a good credential was refused (method or role not accepted here, or wrong material)"
	findLeak        = "the rejection message leaks detail beyond a generic word"
)

// judge sets c's verdict from its observation o under r, against the
// decision budget and the slow threshold of e's config.
func (e *env) judge(c *Check, o Observation, r rule) {
	c.Observed = o
	c.Verdict = VerdictPass
	switch o.Outcome {
	case results.OutcomeAccepted:
		if r.want != wantAccept {
			c.fail(r.onAccept, r.accepted)
		}
	case results.OutcomeTimeout:
		sev := r.onSilence
		if sev == SeverityNone {
			sev = SeverityMedium
		}
		c.fail(sev, "no decision within the "+ms(e.cfg.DecisionBudget)+" budget")
	case results.OutcomeRejected:
		if r.want == wantAccept {
			c.fail(SeverityInfo, findGoodRefused)
		}
	case results.OutcomeHTTPError:
		e.judgeHTTP(c, o, r)
	case results.OutcomeClosed:
		switch r.want {
		case wantReject:
			c.fail(SeverityMedium, findClosed)
		case wantAccept:
			c.fail(SeverityInfo, findGoodRefused)
		}
	default:
		c.skip(fmt.Sprintf("transport error (%s): the case could not run", o.Code))
	}
	if c.Verdict != VerdictPass {
		return
	}
	switch {
	case o.leak:
		c.fail(SeverityMedium, findLeak)
	case o.Outcome != results.OutcomeHTTPError && o.Decision > e.cfg.SlowDecision:
		c.fail(SeverityMedium, "decision slower than "+ms(e.cfg.SlowDecision))
	}
}

// judgeHTTP judges a handshake refused with an HTTP status: a 4xx is a
// refusal, a 5xx says nothing about authentication.
func (e *env) judgeHTTP(c *Check, o Observation, r rule) {
	status, _ := strconv.Atoi(o.Code)
	switch {
	case status >= 500:
		c.skip("the server answered HTTP " + o.Code + ": the case could not run")
	case r.want == wantAccept:
		c.fail(SeverityInfo, findGoodRefused)
	}
}

// leakWords are what a generic rejection message never needs to say.
var leakWords = []string{
	"jwt", "token", "signature", "expired", "audience", "issuer", "kid", "algorithm",
	"malformed", "claim", "revoked", "secret", "api key", "apikey", "session id",
	"stack", ".go:", ".js:", "exception", "panic",
}

// leaks reports whether a rejection message tells the client why in detail
// (CASES.md: reject messages should be generic, the reason in data.code).
func leaks(message string) bool {
	m := strings.ToLower(message)
	for _, w := range leakWords {
		if strings.Contains(m, w) {
			return true
		}
	}
	return false
}
