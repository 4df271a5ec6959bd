package server

import (
	"context"
	"log/slog"

	"github.com/zishang520/socket.io/servers/socket/v3"

	"github.com/gatecrash/gatecrash/verifiers"
)

// record writes the decision's audit line and metrics.
func (s *Server) record(sock *socket.Socket, nsp string, d decision) {
	method := d.primary.Method
	if d.accepted() {
		method = d.id.Method
	}
	if method == "" {
		method = MethodNone
	}
	s.metrics.observe(nsp, method, d)
	s.audit(sock, nsp, method, d)
}

// audit writes one structured line per decision. Values go through slog's
// handler, which quotes them (JSON or key=value), so a user-controlled
// string (a subject, a namespace) cannot inject a line. The credential is
// never logged, only its fingerprint.
func (s *Server) audit(sock *socket.Socket, nsp string, method verifiers.Method, d decision) {
	log := s.cfg.AuditLog
	ctx := context.Background()
	if !log.Enabled(ctx, slog.LevelInfo) {
		return
	}
	outcome := "accepted"
	if !d.accepted() {
		outcome = "rejected"
	}
	log.LogAttrs(ctx, slog.LevelInfo, "handshake",
		slog.String("namespace", nsp),
		slog.String("method", string(method)),
		slog.String("source", string(d.primary.Source)),
		slog.String("transport", sock.Conn().Transport().Name()),
		slog.String("subject", d.id.Subject),
		slog.String("outcome", outcome),
		slog.String("reason", string(d.reason)),
		slog.String("remote", sock.Conn().RemoteAddress()),
		slog.Duration("verify", d.took),
		slog.String("fingerprint", fingerprint(d.primary.Value)),
	)
}

// fingerprint tags a credential for the audit log with
// verifiers.Fingerprint (a SHA-256 prefix: lines correlate, the secret is not
// stored), "" for no credential.
func fingerprint(credential string) string {
	if credential == "" {
		return ""
	}
	return verifiers.Fingerprint(credential)
}
