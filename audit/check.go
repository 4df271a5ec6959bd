package audit

import (
	"time"

	"github.com/gatecrash/gatecrash/results"
)

// Group is a family of cases; Config.Groups selects them.
type Group string

// The groups.
const (
	// GroupNamespaces: every namespace (listed, unknown, spelling variants,
	// children) × credentials × transports (CASES.md F-01, F-03, F-09, C-16
	// and the credential kinds of groups A–E).
	GroupNamespaces Group = "namespaces"
	// GroupProtocol: raw frames a parser must refuse (A-06..A-10, A-14,
	// F-06..F-08), and the Engine.IO v3 handshake (F-12).
	GroupProtocol Group = "protocol"
	// GroupTransport: credentials on the wrong request and session id reuse
	// (G-01, G-02, G-06).
	GroupTransport Group = "transport"
	// GroupLifetime: a credential expiring while its socket is connected
	// (H-01). Its checks wait ExpiryTTL + ExpiryBound.
	GroupLifetime Group = "lifetime"
	// GroupCredentials: several credentials on one CONNECT, one of them bad
	// (A-12, D-09, E-09), and credentials in the query string (G-05, D-07).
	GroupCredentials Group = "credentials"
)

// AllGroups returns every group, in the order Run runs them.
func AllGroups() []Group {
	return []Group{GroupNamespaces, GroupCredentials, GroupProtocol, GroupTransport, GroupLifetime}
}

// Check is one case run against the target: what was sent, what the case
// requires, what came back and what it means.
type Check struct {
	// Case is the CASES.md ID ("F-01", "A-06", …); Refs are the rows of
	// the credential kind used, when it stands for more.
	Case string   `json:"case"`
	Refs []string `json:"refs,omitempty"`
	// Group is the case's family.
	Group Group `json:"group"`
	// Title says in a few words what was tried.
	Title string `json:"title"`
	// Namespace is the namespace the check is about.
	Namespace string `json:"namespace"`
	// Transport is the transport used.
	Transport Transport `json:"transport"`
	// Kind is the credential kind presented ("missing", "jwt-expired", …),
	// and Where where it travelled (auth, header, cookie, query); empty when
	// the case presents none.
	Kind  string `json:"kind,omitempty"`
	Where string `json:"where,omitempty"`
	// Expected is the outcome the case requires, in CASES.md's words.
	Expected string `json:"expected"`
	// Observed is what happened.
	Observed Observation `json:"observed"`
	// Verdict is pass, fail or skipped; Severity ranks a failure.
	Verdict  Verdict  `json:"verdict"`
	Severity Severity `json:"severity"`
	// Finding explains a failure (or a skip) in a sentence.
	Finding string `json:"finding,omitempty"`
	// Evidence is the frames sent and received, redacted of secrets and
	// clipped.
	Evidence []Frame `json:"evidence,omitempty"`
}

// Observation is how the server answered.
type Observation struct {
	// Outcome is accepted, rejected, closed, http_error, timeout or
	// transport_error, as the load generator classifies it.
	Outcome results.Outcome `json:"outcome"`
	// Code is the CONNECT_ERROR's data.code (or message), the HTTP status,
	// or a transport classification.
	Code string `json:"code,omitempty"`
	// Message is a CONNECT_ERROR's message, redacted.
	Message string `json:"message,omitempty"`
	// Decision is the time from the CONNECT sent to its answer (or to the
	// end of the wait).
	Decision time.Duration `json:"decision_ns"`

	// leak says the rejection's message says more than a generic word.
	leak bool
}

// Frame is one piece of evidence: a frame or request sent, or an answer.
type Frame struct {
	// Dir is "sent" or "received".
	Dir string `json:"dir"`
	// Text is the frame, redacted and clipped.
	Text string `json:"text"`
}

// The directions of a Frame.
const (
	DirSent     = "sent"
	DirReceived = "received"
)

// failed marks c as a failure of severity s, explained by finding.
func (c *Check) fail(s Severity, finding string) {
	c.Verdict, c.Severity, c.Finding = VerdictFail, s, finding
}

// skip marks c as skipped, explained by why.
func (c *Check) skip(why string) {
	c.Verdict, c.Severity, c.Finding = VerdictSkipped, SeverityNone, why
}
