// Package admin is the reference server's small admin API and its client:
// one endpoint, POST /admin/revoke, that revokes an API key (by id), a
// session (by id) or a JWT (by jti, until a time) in the server's stores and
// disconnects the live sockets bound to it. `gatecrash revoke` is its client.
//
// The endpoint is served on the server's metrics listener, which must be on
// loopback when it is (server.Config.Admin). It has no authentication of its
// own: whoever can reach the loopback port can revoke. To keep web pages the
// operator visits from revoking through their browser, it accepts only
// requests with a JSON content type (which a cross-site form cannot send
// without a CORS preflight this handler never grants) and no Origin header.
package admin
