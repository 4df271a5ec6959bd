package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gatecrash/gatecrash/internal/admin"
	"github.com/gatecrash/gatecrash/server"
	"github.com/gatecrash/gatecrash/verifiers"
)

// revokeFlags are the flags of `gatecrash revoke`.
type revokeFlags struct {
	adminURL string
	until    string
	timeout  time.Duration
}

func newRevokeCmd() *cobra.Command {
	var f revokeFlags
	cmd := &cobra.Command{
		Use:   "revoke apikey|session|jwt ID",
		Short: "Revoke an API key, a session or a JWT on a running gatecrash serve",
		Long: `revoke asks a "gatecrash serve --admin" to revoke a credential: an API key by its
id or by the whole key (gck_<env>_<id>_<secret>: only its id is sent), a session by its id, a JWT by its jti (denylisted until --until, default 24 h
from now: give the token's exp for longer-lived tokens). The server disconnects the
sockets bound to it; servers sharing its Redis disconnect theirs too.

ID "-" reads the id from the first line of standard input, so that a session id
or a whole API key (secrets) stays out of the shell history and the process list.`,
		Example: `  gatecrash revoke apikey 3q5kz2wm8x4n6p7r
  gatecrash revoke jwt 9f3c0d5e7a1b --until 2026-12-31T00:00:00Z
  gatecrash revoke apikey - < api-key.txt
  gatecrash revoke session - < session-id.txt`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := revoke(cmd.Context(), f, args, cmd.InOrStdin(), cmd.OutOrStdout()); err != nil {
				return &exitError{code: ExitError, msg: err.Error()}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.adminURL, "admin-url", "http://"+server.DefaultMetricsAddr,
		"the server's metrics listener (loopback only)")
	fl.StringVar(&f.until, "until", "", "jwt: denylist until this time (RFC 3339) or for this long (24h)")
	fl.DurationVar(&f.timeout, "timeout", 10*time.Second, "bound on the request")
	return cmd
}

func revoke(ctx context.Context, f revokeFlags, args []string, stdin io.Reader, stdout io.Writer) error {
	req, err := revokeRequest(args, f.until, stdin, time.Now())
	if err != nil {
		return err
	}
	if err := loopbackURL(f.adminURL); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	resp, err := admin.Revoke(ctx, nil, f.adminURL, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "revoked %s %s: %d socket(s) disconnected on this server", resp.Kind,
		resp.CredentialID, resp.Disconnected)
	if !resp.Until.IsZero() {
		fmt.Fprintf(stdout, ", denylisted until %s", resp.Until.Format(time.RFC3339))
	}
	fmt.Fprintln(stdout)
	return nil
}

// revokeRequest builds the request from the arguments.
func revokeRequest(args []string, until string, stdin io.Reader, now time.Time) (admin.Request, error) {
	req := admin.Request{Kind: verifiers.Method(strings.ToLower(args[0])), ID: args[1]}
	if req.ID == "-" {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return req, fmt.Errorf("reading the id from stdin: %w", err)
		}
		req.ID = strings.TrimSpace(line)
	}
	if req.Kind == verifiers.MethodAPIKey && strings.Contains(req.ID, "_") { // ids have no "_"
		id, err := verifiers.APIKeyID(req.ID)
		if err != nil {
			return req, fmt.Errorf("apikey: neither an id nor a whole key: %w", err)
		}
		req.ID = id
	}
	if until != "" {
		if req.Kind != verifiers.MethodJWT {
			return req, errors.New("--until applies to jwt only")
		}
		t, err := parseUntil(until, now)
		if err != nil {
			return req, err
		}
		req.Until = t
	}
	return req, req.Validate()
}

// parseUntil reads an RFC 3339 time or a duration from now.
func parseUntil(s string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(s); err == nil {
		if d <= 0 {
			return time.Time{}, fmt.Errorf("--until %s: not in the future", s)
		}
		return now.Add(d), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--until %q: want an RFC 3339 time or a duration", s)
	}
	return t, nil
}

// loopbackURL refuses an admin URL that is not http on a loopback address:
// the endpoint is only ever served there.
func loopbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("--admin-url: %w", err)
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	if u.Scheme != "http" || (host != "localhost" && (ip == nil || !ip.IsLoopback())) {
		return fmt.Errorf("--admin-url %q: the admin endpoint is served over http on loopback only", raw)
	}
	return nil
}
