// Package loadgen is gatecrash's load generator: a wire-level Engine.IO v4 /
// Socket.IO v5 client on gorilla/websocket, the pacers of the open, closed
// and hold load models, and the runner that times every handshake phase and
// classifies its outcome into results.Sample values.
//
// The client is deliberately small and strict. A Dialer opens one Engine.IO
// session (websocket directly, or polling then upgrade as browsers do) and
// times the TCP dial, TLS, upgrade and open phases; the resulting Conn
// connects namespaces with raw auth payloads, emits events with acks, reads
// packets and sends raw frames. A hostile or broken server yields an error
// that Classify maps to an outcome: it never panics and never blocks past
// the context's deadline.
//
// The package never prints: the runner records samples to a Sink and returns
// a Report.
package loadgen
