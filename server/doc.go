// Package server is gatecrash's reference Socket.IO server: the server the
// harness measures, and the example a team can copy to see how a Socket.IO
// handshake should be secured.
//
// It is built on github.com/zishang520/socket.io/servers/socket/v3 and adds,
// around the library:
//
//   - a namespace Policy (accepted credential methods and required roles per
//     namespace), loaded from YAML or taken from DefaultPolicy;
//   - an auth middleware attached to every namespace the server creates,
//     including namespaces created after start and dynamic children of
//     pattern namespaces, so that no namespace can be left open by
//     forgetting it (the library's Server.Use guards only "/");
//   - credential extraction from the CONNECT auth object, the Authorization
//     and X-API-Key headers, the session cookie and (only where the policy
//     allows) the query string, with a documented precedence and a
//     fail-closed rule for conflicting credentials (see credentials.go);
//   - a bounded decision time: a verifier that hangs still produces a
//     CONNECT_ERROR with data.code "unavailable";
//   - identity binding (whoami and echo events with ack), disconnection when
//     a credential expires or is revoked, Engine.IO session binding (the sid
//     is not a bearer credential), an Origin check for cookie handshakes, an
//     audit log line per decision, Prometheus metrics, and TLS.
//
// A Server is embeddable in the shape of net/http/httptest.Server: New,
// Start or Listen, Addr, URL, Close.
//
// Two profiles exist. ProfileHardened is the default and enables everything
// above. ProfileSeedGap reproduces, on purpose, the gaps of the analysed
// application (session auth on "/" only, "/admin" open, "/api" without token
// auth, no session binding, no Origin check) so that an audit can be shown
// finding them; it refuses to listen on anything but loopback.
package server
