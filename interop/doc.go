// Package interop starts real Node.js socket.io v4 peers for tests, so the
// reference server and the load generator are proven against the protocol as
// the reference implementation speaks it, not against each other.
//
// The peers live in the node folder beside this package: server.js, a
// socket.io server with JWT (HS256, jsonwebtoken) middleware on each of its
// namespaces "/", "/admin" (role "admin") and "/api", rejecting with
// gatecrash's reason codes; and client.js, a socket.io-client script that
// connects to namespaces and prints one JSON line per outcome. Their npm
// packages are pinned by node/package-lock.json and installed by
// `make test-setup` (npm ci).
//
// StartNodeServer runs server.js on a free loopback port until Close;
// RunNodeClient runs client.js once and returns its outcomes. NodeAvailable
// says whether node and the pinned packages are installed, and RequireNode
// turns its answer into a skip (or, under CI, a failure) in a test.
//
// Every peer listens on or connects to loopback only: both the Go side and
// the scripts refuse any other address.
package interop
