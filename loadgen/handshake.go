package loadgen

import (
	"net/http"
	"net/url"

	"github.com/gatecrash/gatecrash/results"
)

// Transport is how a client opens its Engine.IO session.
type Transport int

// The transports.
const (
	// WebSocket opens the session directly on a websocket
	// (transport=websocket), as clients configured with
	// transports: ["websocket"] do.
	WebSocket Transport = iota
	// PollingUpgrade opens the session with an HTTP long-polling GET
	// (transport=polling), then upgrades it to a websocket with the
	// 2probe/3probe/5 exchange, as browsers do by default. Namespace CONNECTs
	// are sent after the upgrade, over the websocket.
	PollingUpgrade
)

// String returns the transport's name as scenarios spell it.
func (t Transport) String() string {
	switch t {
	case WebSocket:
		return "websocket"
	case PollingUpgrade:
		return "polling"
	}
	return "transport?"
}

// Handshake is one fully specified client: where its session-level
// credentials travel and which namespaces it connects to. Handshakes are
// built (credentials minted) before a run starts and are never modified by
// the generator.
type Handshake struct {
	// Transport is how the session opens.
	Transport Transport
	// Header is sent on the request that opens the Engine.IO session, and
	// again on the websocket upgrade after a polling start. Cookies travel
	// here as a Cookie header.
	Header http.Header
	// Query values are added to the handshake URL (EIO and transport are set
	// by the client).
	Query url.Values
	// Namespaces are connected in order over the one session.
	Namespaces []Connect
}

// Connect is one namespace CONNECT of a handshake.
type Connect struct {
	// Namespace is the namespace, "/" for the main one.
	Namespace string
	// Auth is the raw JSON sent after the comma of the CONNECT packet; nil
	// sends none. It is written as is, so malformed payloads can be sent on
	// purpose.
	Auth []byte
	// Kind names the credential kind (a row of the rejection matrix).
	Kind string
	// Expect is what Kind must get on Namespace.
	Expect results.Expect
	// Subject is the identity the ack event (whoami) must name; "" skips the
	// identity check.
	Subject string
}
