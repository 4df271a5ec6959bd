package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gatecrash/gatecrash/audit"
	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/internal/runner"
	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/scenarios"
	"github.com/gatecrash/gatecrash/verifiers"
)

// auditFlags are the flags of `gatecrash audit`.
type auditFlags struct {
	target, scenario, markdown, json      string
	namespaces, kinds, transports, groups []string
	key                                   jwtFlags
	records, sessionCookie, caFile        string
	budget, slow                          time.Duration
	rate                                  float64
	maxRequests, concurrency              int
	allowRemote, insecure                 bool
}

// newAuditCmd returns the `gatecrash audit` command.
func newAuditCmd() *cobra.Command {
	var f auditFlags
	cmd := &cobra.Command{
		Use:   "audit (--target URL | --scenario FILE)",
		Short: "Find every way into a Socket.IO server's namespaces, ranked by severity",
		Long: `audit runs the handshake cases of CASES.md against any Socket.IO server: every
namespace listed with --namespace, plus an unknown one, spelling variants and
children, × no credential, every bad credential kind the key material can mint,
and good ones × websocket, polling and polling-then-upgrade; then protocol abuse
written as raw frames (malformed auth payloads, duplicate and pipelined
CONNECTs, events before CONNECT, oversized frames, credentials only on later
requests, a cookie handshake from a foreign Origin, a second client reusing
another's session id), and a JWT that expires while its socket is connected.

It prints a summary; --markdown and --json write the full report. Without key
material JWTs are signed with a throwaway key, so only the cases that need no
key are meaningful. The target must be on loopback unless --allow-remote is
given; requests are rate-limited and bounded in number.

With --scenario, the audit takes the scenario's target (or starts the embedded
reference server the scenario describes), its namespaces and roles, and its key
material and records, so CI can keep one file for the load test and the audit.

Exit codes: 0 nothing above medium; 1 bad input or the target unreachable;
3 a critical or high finding.`,
		Example: `  gatecrash audit --target http://127.0.0.1:3000 -n / -n /admin:admin -n /api \
    --secret-file secret.txt --markdown audit.md --json audit.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runAudit(cmd.Context(), f, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.target, "target", "", "the server's URL, http(s):// or ws(s)://")
	fl.StringVar(&f.scenario, "scenario", "",
		"take the target, namespaces and key material from this scenario (a file or a built-in)")
	fl.StringArrayVarP(&f.namespaces, "namespace", "n", nil,
		`a namespace to audit, with the roles it requires after a colon ("/admin:admin,ops"); repeatable`)
	fl.StringVar(&f.key.secretFile, "secret-file", "", "HMAC secret file the target verifies JWTs with")
	fl.StringVar(&f.key.keyFile, "key-file", "", "private key file (PEM or JWK) the target's JWTs are signed with")
	fl.StringVar(&f.key.alg, "alg", "HS256", "JWT algorithm of the key")
	fl.StringVar(&f.key.iss, "issuer", "gatecrash", "issuer (iss) the target requires")
	fl.StringVar(&f.key.aud, "audience", "gatecrash", "audience (aud) the target requires")
	fl.StringVar(&f.records, "records", "", "API keys and sessions valid on the target (CSV or JSONL)")
	fl.StringVar(&f.sessionCookie, "session-cookie", "", "name of the target's session cookie")
	fl.StringSliceVar(&f.kinds, "kinds", nil, "credential kinds to try (default: all the material can mint)")
	fl.StringSliceVar(&f.transports, "transports", nil, "websocket, polling, polling-upgrade (default: all)")
	fl.StringSliceVar(&f.groups, "groups", nil, "namespaces, protocol, transport, lifetime (default: all)")
	fl.DurationVar(&f.budget, "budget", audit.DefaultDecisionBudget, "longest wait for a CONNECT's answer")
	fl.DurationVar(&f.slow, "slow", audit.DefaultSlowDecision, "answer time past which a decision is slow")
	fl.Float64Var(&f.rate, "rate", audit.DefaultRate, "handshakes started per second")
	fl.IntVar(&f.maxRequests, "max-requests", audit.DefaultMaxRequests, "most handshakes the audit may open")
	fl.IntVar(&f.concurrency, "concurrency", audit.DefaultConcurrency, "checks run at once")
	fl.BoolVar(&f.allowRemote, "allow-remote", false, "allow a target outside loopback")
	fl.StringVar(&f.caFile, "ca-file", "", "PEM certificates to trust for https/wss targets")
	fl.BoolVar(&f.insecure, "insecure", false, "skip TLS verification (explicitly insecure)")
	fl.StringVar(&f.markdown, "markdown", "", "write the Markdown report here")
	fl.StringVar(&f.json, "json", "", "write the JSON report here")
	return cmd
}

func runAudit(ctx context.Context, f auditFlags, stdout, stderr io.Writer) error {
	cfg, closeTarget, err := auditTarget(f)
	if err != nil {
		return &exitError{code: ExitError, msg: err.Error()}
	}
	defer closeTarget()
	r, err := audit.Run(ctx, cfg)
	if r == nil {
		return &exitError{code: ExitError, msg: err.Error()}
	}
	if err != nil {
		fmt.Fprintln(stderr, "gatecrash: audit cut short:", err)
	}
	if werr := writeAuditReports(r, f, stdout); werr != nil {
		return &exitError{code: ExitError, msg: werr.Error()}
	}
	if r.Max() >= audit.SeverityHigh {
		return &exitError{code: ExitSecurity, msg: fmt.Sprintf("%s finding(s): see the report", r.Max())}
	}
	if err != nil {
		return &exitError{code: ExitError}
	}
	return nil
}

// auditTarget builds the audit's configuration from the flags, or from a
// scenario with --scenario (its embedded server started when it names no
// target); the returned function stops that server.
func auditTarget(f auditFlags) (audit.Config, func(), error) {
	noop := func() {}
	if f.scenario == "" {
		cfg, err := auditConfig(f)
		return cfg, noop, err
	}
	if f.target != "" || len(f.namespaces) > 0 || f.key.secretFile != "" || f.key.keyFile != "" ||
		f.records != "" {
		return audit.Config{}, noop, errors.New(
			"--scenario gives the target, namespaces and key material: drop --target, " +
				"--namespace, --secret-file, --key-file and --records")
	}
	sc, err := scenarios.Load(f.scenario)
	if err != nil {
		return audit.Config{}, noop, err
	}
	t, err := runner.OpenTarget(sc, runner.Options{})
	if err != nil {
		return audit.Config{}, noop, err
	}
	f.target = t.URL
	cfg, err := auditConfig(f)
	if err != nil {
		t.Close()
		return cfg, noop, err
	}
	cfg.Path, cfg.Material = t.Path, t.Material
	if t.TLS != nil {
		cfg.TLS = t.TLS
	}
	if sc.Target != nil && sc.Target.AllowRemote {
		cfg.AllowRemote = true
	}
	for _, ns := range sc.Namespaces {
		cfg.Namespaces = append(cfg.Namespaces, audit.Namespace{Name: ns.Name, Roles: ns.Roles})
	}
	return cfg, func() { t.Close() }, nil
}

// auditConfig turns the flags into an audit.Config.
func auditConfig(f auditFlags) (audit.Config, error) {
	if f.target == "" {
		return audit.Config{}, errors.New("--target is required")
	}
	cfg := audit.Config{
		Target: f.target, Kinds: f.kinds, DecisionBudget: f.budget, SlowDecision: f.slow,
		Rate: f.rate, MaxRequests: f.maxRequests, Concurrency: f.concurrency, AllowRemote: f.allowRemote,
	}
	for _, n := range f.namespaces {
		name, roles, _ := strings.Cut(n, ":")
		ns := audit.Namespace{Name: name}
		if roles != "" {
			ns.Roles = strings.Split(roles, ",")
		}
		cfg.Namespaces = append(cfg.Namespaces, ns)
	}
	for _, t := range f.transports {
		cfg.Transports = append(cfg.Transports, audit.Transport(t))
	}
	for _, g := range f.groups {
		cfg.Groups = append(cfg.Groups, audit.Group(g))
	}
	var err error
	if cfg.Material, err = auditMaterial(f); err != nil {
		return cfg, err
	}
	if f.caFile != "" || f.insecure {
		if cfg.TLS, err = loadgen.TLSConfig(f.caFile, f.insecure); err != nil {
			return cfg, err
		}
	}
	return cfg, nil
}

// auditMaterial loads the key material credentials are minted from.
func auditMaterial(f auditFlags) (creds.Config, error) {
	m := creds.Config{Issuer: f.key.iss, Audience: f.key.aud, SessionCookie: f.sessionCookie}
	if f.key.secretFile != "" || f.key.keyFile != "" {
		k, err := signingKey(f.key)
		if err != nil {
			return m, err
		}
		m.Keys = []*verifiers.SigningKey{k}
	}
	if f.records != "" {
		rs, err := creds.LoadRecords(f.records)
		if err != nil {
			return m, err
		}
		m.Records = rs
	}
	return m, nil
}

// writeAuditReports prints the summary and writes the files asked for.
func writeAuditReports(r *audit.Report, f auditFlags, stdout io.Writer) error {
	if err := audit.WriteText(stdout, r); err != nil {
		return err
	}
	for _, out := range []struct {
		path  string
		write func(io.Writer, *audit.Report) error
	}{{f.markdown, audit.WriteMarkdown}, {f.json, audit.WriteJSON}} {
		if out.path == "" {
			continue
		}
		if err := writeFile(out.path, func(w io.Writer) error { return out.write(w, r) }); err != nil {
			return fmt.Errorf("%s: %w", out.path, err)
		}
	}
	return nil
}
