// Package audit runs the handshake cases of CASES.md against any Socket.IO
// server and ranks what it finds. Load tests ask how fast; an audit asks who
// gets in.
//
// Run plans every case for the namespaces a Config lists (plus probes for
// namespaces nobody listed: an unknown name, spelling variants, children),
// crossed with credentials (none, every bad kind the key material can mint,
// good ones) and transports (websocket, polling, polling then upgrade), and
// protocol abuse written as raw frames (malformed auth payloads, duplicate
// and pipelined CONNECTs, events before CONNECT, oversized frames, headers on
// later requests only, a cookie handshake from a foreign Origin, a second
// client reusing another's Engine.IO session id, an Engine.IO v3 handshake
// and its namespace-query credentials), a JWT expiring while its socket is
// connected, several credentials on one CONNECT with one of them bad,
// and credentials in the query string (G-05). Each case yields a Check: what
// was expected, what was observed, how long the decision took, the verdict, a
// Severity when it failed, and the frames sent and received, redacted of
// secrets.
//
// Severities follow one rule each. Critical: a missing or bad credential
// accepted on a namespace (forged, expired, revoked, unknown, for another
// audience, or without the namespace's role). High: a token of a trusted key
// accepted outside its lifetime or type (no exp, nbf ahead, a refresh
// token), a session id usable by another client, a cookie handshake
// accepted from a foreign Origin, a socket outliving its credential, an
// event handled on a namespace never joined, or a bad credential that may
// have been accepted alongside a good one. Medium: a token of a trusted key
// breaking a lesser rule of a strict verifier (unknown kid, crit, roles
// shape, no iat or sub), a rejection by closing the transport instead of
// CONNECT_ERROR, a slow or missing decision, a credential read from a later
// request, or a rejection message that leaks detail. Info: everything worth
// knowing that is no hole (a good credential refused, a parser
// differential).
//
// The audit is polite by construction: it aims at loopback unless told
// otherwise (Config.AllowRemote), starts at most Config.Rate handshakes a
// second and refuses a plan of more than Config.MaxRequests of them.
//
// The wire client is the load generator's (loadgen.Dialer, Conn.WriteRaw,
// Conn.ReadPacket) for websocket sessions; sessions that must talk over
// HTTP long-polling, or mix polling with an upgrade carrying other headers,
// use the small net/http client of this package (polling.go), which the load
// generator has no need for.
//
// The package never prints: WriteText, WriteMarkdown and WriteJSON render a
// Report to a writer the caller supplies.
package audit
