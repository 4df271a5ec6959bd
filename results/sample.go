package results

import "time"

// Phase is one timed step of a handshake. Phases are measured on a monotonic
// clock by the load generator; a phase a handshake never reached has no
// duration (zero) and is not recorded.
type Phase int

// The phases, in the order a handshake goes through them.
const (
	// PhaseWait is the lateness of the start: actual start minus the start the
	// schedule intended. Large values mean the generator was saturated.
	PhaseWait Phase = iota
	// PhaseDial is the TCP connect.
	PhaseDial
	// PhaseTLS is the TLS handshake (wss:// and https:// only).
	PhaseTLS
	// PhaseUpgrade is the HTTP exchange that opens the transport: the
	// WebSocket upgrade request to its 101, or the first polling GET to its
	// response headers.
	PhaseUpgrade
	// PhaseOpen is the transport being ready to the Engine.IO open packet
	// ("0{...}") being read.
	PhaseOpen
	// PhaseConnect is the Socket.IO CONNECT being sent to its answer
	// (CONNECT or CONNECT_ERROR) being read, for one namespace.
	PhaseConnect
	// PhaseFirstAck is the first event with ack (whoami, or the configured
	// event) being sent to its acknowledgement.
	PhaseFirstAck
	// PhaseService is the whole handshake from its actual start.
	PhaseService
	// PhaseTotal is the whole handshake from its intended start: PhaseWait
	// plus PhaseService. Under an open model this is the latency users quote
	// (no coordinated omission).
	PhaseTotal
	// NumPhases is the number of phases.
	NumPhases
)

var phaseNames = [NumPhases]string{
	"wait", "dial", "tls", "upgrade", "open", "connect", "first_ack", "service", "total",
}

// String returns the phase's name as it appears in results and reports.
func (p Phase) String() string {
	if p < 0 || p >= NumPhases {
		return "phase?"
	}
	return phaseNames[p]
}

// ParsePhase returns the phase called name, and false when there is none.
func ParsePhase(name string) (Phase, bool) {
	for i, n := range phaseNames {
		if n == name {
			return Phase(i), true
		}
	}
	return 0, false
}

// Outcome is how one namespace CONNECT ended, as the generator observed it.
type Outcome string

// The outcomes. Their spelling is part of the results schema.
const (
	// OutcomeAccepted: the server answered CONNECT with its sid.
	OutcomeAccepted Outcome = "accepted"
	// OutcomeRejected: the server answered CONNECT_ERROR; Sample.Code holds
	// data.code (or the message when there is no code).
	OutcomeRejected Outcome = "rejected"
	// OutcomeClosed: the transport closed with no CONNECT_ERROR.
	OutcomeClosed Outcome = "closed"
	// OutcomeHTTPError: the handshake HTTP request was refused; Sample.Code
	// holds the status code.
	OutcomeHTTPError Outcome = "http_error"
	// OutcomeTimeout: no answer within the handshake's deadline.
	OutcomeTimeout Outcome = "timeout"
	// OutcomeTransportError: dial, TLS, protocol or I/O failure; Sample.Code
	// holds a short classification (for example "dial", "tls", "protocol").
	OutcomeTransportError Outcome = "transport_error"
)

// Expect is what a credential kind must get on a namespace.
type Expect string

// The expectations. ExpectReject passes on rejected, closed and http_error
// (all refusals), though the matrix keeps them apart so a regression from
// CONNECT_ERROR to a bare close stays visible.
const (
	ExpectAccept Expect = "accept"
	ExpectReject Expect = "reject"
)

// Sample is one namespace CONNECT attempt and its outcome. The load generator
// produces one Sample per namespace of each handshake; connection-level
// phases (wait, dial, tls, upgrade, open) are set only on the first Sample of
// a connection (ConnFirst), so they are counted once per connection.
type Sample struct {
	// Offset is the intended start of the handshake, from the run's start.
	Offset time.Duration
	// Namespace is the namespace this CONNECT was for ("/", "/admin").
	Namespace string
	// Kind is the row of the rejection matrix: the scenario mix entry's
	// label (scenarios.MixEntry.Label), which is the credential kind's name
	// ("jwt", "jwt-expired") unless roles or a name set it apart
	// ("jwt[admin]").
	Kind string
	// Expect is what Kind must get on Namespace.
	Expect Expect
	// Outcome is what happened.
	Outcome Outcome
	// Code is the rejection code, HTTP status or transport classification.
	Code string
	// Phases holds each phase's duration; zero means not reached or not
	// applicable.
	Phases [NumPhases]time.Duration
	// ConnFirst marks the first Sample of a connection.
	ConnFirst bool
	// Late marks a start more than the pacer's tolerance behind schedule.
	Late bool
	// IdentityChecked says an identity check (whoami) ran after acceptance;
	// IdentityOK says it named the expected subject. An accepted socket whose
	// identity is someone else's is a security failure.
	IdentityChecked bool
	IdentityOK      bool
}
