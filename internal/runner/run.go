package runner

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/scenarios"
	"github.com/gatecrash/gatecrash/server"
	"github.com/gatecrash/gatecrash/verifiers"
)

// Options configure Run. The zero value is usable.
type Options struct {
	// Version is gatecrash's version, recorded in the result.
	Version string
	// OnStart, when set, is called once, when the clock starts, with a
	// function that snapshots the recording and the planned duration (zero
	// when it depends on the server): the hook for live progress.
	OnStart func(snapshot func() results.Snapshot, planned time.Duration)
	// AuditLog receives the embedded server's audit lines; nil discards.
	AuditLog *slog.Logger
	// MetricsAddr is the embedded server's metrics listener; empty: none.
	MetricsAddr string
	// Share runs one segment of the scenario (a distributed run's worker):
	// its share of the open schedule's starts and of the identities, or of
	// a closed model's users and iterations, or of a hold model's sockets.
	// The zero value runs the whole scenario.
	Share creds.Share
	// BeforeStart, when set, is called once the credentials are minted and
	// before the clock starts; Run fails with its error. A distributed
	// worker reports ready in it and waits for the synchronized start.
	BeforeStart func(ctx context.Context) error
	// Sink, when set, also receives every sample the run records.
	Sink loadgen.Sink
}

// Output is what a run produced.
type Output struct {
	// Result is the recording with its verdicts. It is set whenever the
	// clock started, even when Run also returns an error.
	Result *results.Result
	// Generator is the load generator's own report.
	Generator loadgen.Report
	// Target is the URL the generator aimed at.
	Target string
	// Embedded says the reference server ran in-process.
	Embedded bool
	// Cache holds the embedded server's cache statistics per cached method.
	Cache map[verifiers.Method]verifiers.CacheStats
	// Warnings are what the embedded server warned about at start.
	Warnings []string
}

// Run executes sc: it starts the embedded server when sc has no target,
// mints the credentials, runs the load and returns the result. A revoke
// block also starts its extra servers and measures the revocation lag
// beside the load (Result.Revocation); the run ends when both have. When ctx is
// cancelled mid-run, the result is returned marked incomplete, with no error.
// An error after the clock started comes back with the result collected so
// far.
func Run(ctx context.Context, sc *scenarios.Scenario, opts Options) (*Output, error) {
	st, err := prepare(sc, opts)
	if err != nil {
		return nil, err
	}
	defer st.close()

	hs, err := buildHandshakes(ctx, sc, st.material, opts.Share)
	if err != nil {
		return nil, err
	}
	st.plan.Handshakes = hs
	if opts.BeforeStart != nil {
		if err := opts.BeforeStart(ctx); err != nil {
			return nil, fmt.Errorf("run: before start: %w", err)
		}
	}

	rec := results.NewRecorder(results.Options{Thresholds: sc.Thresholds})
	if opts.OnStart != nil {
		opts.OnStart(rec.Snapshot, sc.Load.PlannedDuration())
	}
	var sink loadgen.Sink = rec
	if opts.Sink != nil {
		sink = teeSink{rec, opts.Sink}
	}
	lag, err := startLag(ctx, sc, st)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	rep, runErr := loadgen.Run(ctx, st.plan, sink)
	end := time.Now()
	revocation, lagErr := lag.finish(ctx)

	out := &Output{Generator: rep, Target: st.plan.URL}
	meta := results.Meta{
		Scenario:     sc.Name,
		ScenarioFile: sc.Source,
		Target:       st.plan.URL,
		Start:        start,
		End:          end,
		Env:          results.DetectEnvironment(opts.Version),
		Generator: results.GeneratorReport{
			Planned:   plannedCount(sc, opts.Share),
			Started:   int64(rep.Started),
			Dropped:   int64(rep.Dropped),
			Saturated: rep.Saturated,
		},
	}
	if st.ref != nil {
		out.Embedded, out.Warnings = true, st.ref.Server.Warnings()
		out.Cache = st.ref.CacheStats()
		meta.Target = "embedded " + st.plan.URL
	}
	switch {
	case runErr != nil:
		meta.Incomplete, meta.IncompleteReason = true, runErr.Error()
	case ctx.Err() != nil:
		meta.Incomplete, meta.IncompleteReason = true, "interrupted"
	}
	out.Result = rec.Finish(meta)
	out.Result.Revocation = revocation
	if runErr != nil {
		return out, fmt.Errorf("run: %w", runErr)
	}
	return out, lagErr
}

// plannedCount is the handshake count of the share's schedule, zero when
// the schedule has no fixed length.
func plannedCount(sc *scenarios.Scenario, share creds.Share) int64 {
	n, fixed := sc.Load.PlannedHandshakes()
	if !fixed {
		return 0
	}
	return int64(share.Len(int(n)))
}

// stage is what a run needs before its handshakes are minted.
type stage struct {
	material creds.Config
	plan     loadgen.Plan
	ref      *Reference // the embedded server; nil with a target
	refCfg   ReferenceConfig
}

func (st *stage) close() {
	if st.ref != nil {
		st.ref.Close()
	}
}

// prepare starts the embedded server (or reads the external material) and
// builds the generator's plan without its handshakes.
func prepare(sc *scenarios.Scenario, opts Options) (*stage, error) {
	m, err := shareModel(model(sc.Load), opts.Share)
	if err != nil {
		return nil, err
	}
	if err := checkCapacity(sc, m); err != nil {
		return nil, err
	}
	st := &stage{plan: loadgen.Plan{
		Model:       m,
		Timeout:     sc.Load.Timeout,
		AckEvent:    sc.Load.AckEvent,
		SourceAddrs: sc.Load.SourceAddrs,
	}}
	if sc.Target != nil {
		material, err := externalMaterial(sc)
		if err != nil {
			return nil, err
		}
		tlsCfg, err := loadgen.TLSConfig(sc.Target.TLS.CAFile, sc.Target.TLS.InsecureSkipVerify)
		if err != nil {
			return nil, err
		}
		st.material = material
		st.plan.URL, st.plan.Path, st.plan.TLS = sc.Target.URL, sc.Target.Path, tlsCfg
		return st, nil
	}
	cfg, err := referenceConfig(sc, opts)
	if err != nil {
		return nil, err
	}
	ref, err := StartReference(cfg)
	if err != nil {
		return nil, err
	}
	st.ref, st.material, st.refCfg = ref, ref.Material, cfg
	st.plan.URL, st.plan.EmbeddedServer = ref.Server.URL(), true
	return st, nil
}

// checkCapacity refuses, before the embedded server starts and credentials
// are minted, a model whose sockets cannot fit the open-file limit or the
// ephemeral ports; the error says what fits. loadgen.Run checks again.
func checkCapacity(sc *scenarios.Scenario, m loadgen.Model) error {
	sockets := loadgen.Plan{Model: m}.Sockets()
	if _, err := loadgen.CheckCapacity(sockets, sc.Target == nil, len(sc.Load.SourceAddrs)); err != nil {
		return fmt.Errorf("run: %w", err)
	}
	return nil
}

// model converts the scenario's load block into a generator model.
func model(l scenarios.LoadSpec) loadgen.Model {
	switch l.Model {
	case scenarios.ModelClosed:
		return loadgen.Closed{VUs: l.VUs, Duration: l.Duration, Iterations: int(l.Iterations)}
	case scenarios.ModelHold:
		return loadgen.Hold{Sockets: l.Sockets, Ramp: l.Ramp, Hold: l.Hold, EventEvery: l.EventEvery}
	}
	var stages []loadgen.Stage
	prev := 0.0
	for _, s := range l.Stages {
		from := s.Rate
		if s.Ramp {
			from = prev
		}
		stages = append(stages, loadgen.Stage{From: from, To: s.Rate, Duration: s.Duration})
		prev = s.Rate
	}
	return loadgen.Open{Stages: stages}
}

// referenceConfig builds the embedded server's configuration from the
// scenario: its policy follows the scenario's namespaces unless a policy
// file is named.
func referenceConfig(sc *scenarios.Scenario, opts Options) (ReferenceConfig, error) {
	cfg := ReferenceConfig{
		Server: server.Config{
			Profile:     server.Profile(sc.Server.Profile),
			MetricsAddr: opts.MetricsAddr,
			AuditLog:    opts.AuditLog,
		},
		Algs:     jwtAlgs(sc),
		Issuer:   sc.Credentials.JWT.Issuer,
		Audience: sc.Credentials.JWT.Audience,
		Cache:    map[verifiers.Method]verifiers.CacheConfig{},
	}
	// The scenario's own key, when it gives one, signs and verifies in
	// place of keys generated for the run.
	k, err := externalKey(sc.Credentials.JWT)
	if err != nil {
		return cfg, err
	}
	if k != nil {
		cfg.SigningKeys = []*verifiers.SigningKey{k}
	}
	if sc.Server.Policy != "" {
		p, err := server.LoadPolicy(sc.Server.Policy)
		if err != nil {
			return cfg, err
		}
		cfg.Server.Policy = p
	} else {
		for _, ns := range sc.Namespaces {
			cfg.Server.Policy.Namespaces = append(cfg.Server.Policy.Namespaces, server.NamespacePolicy{
				Name: ns.Name, Methods: ns.Methods, Roles: ns.Roles, Public: ns.Public,
			})
		}
	}
	for m, c := range sc.Server.Cache {
		if !c.Enabled {
			continue
		}
		cfg.Cache[m] = verifiers.CacheConfig{
			MaxTTL:      c.TTL,
			MaxCost:     int64(c.Size) * cacheBytesPerEntry,
			NumCounters: int64(c.Size) * 10,
		}
	}
	if r := sc.Server.Redis; r != nil {
		cfg.Redis = &RedisConfig{URL: r.URL, Options: verifiers.RedisOptions{Prefix: r.Prefix, NoFeed: !r.PubSub}}
	}
	return cfg, nil
}

// cacheBytesPerEntry turns a scenario's cache size in entries into the
// cache's byte budget: a credential of a few hundred bytes plus overhead.
const cacheBytesPerEntry = 1024

// externalMaterial reads the key material and records an external target's
// credentials are minted from.
func externalMaterial(sc *scenarios.Scenario) (creds.Config, error) {
	j := sc.Credentials.JWT
	cfg := creds.Config{Issuer: j.Issuer, Audience: j.Audience, TTL: j.Lifetime}
	k, err := externalKey(j)
	if err != nil {
		return cfg, err
	}
	if k != nil {
		cfg.Keys = append(cfg.Keys, k)
	}
	if sc.Credentials.File != "" {
		rs, err := creds.LoadRecords(sc.Credentials.File)
		if err != nil {
			return cfg, err
		}
		cfg.Records = rs
	}
	return cfg, nil
}

// maxSecretFile bounds a secret file: a secret is a line of bytes.
const maxSecretFile = 64 << 10

// externalKey reads the signing key the scenario gives: its HMAC secret
// (inline or from secret_file) or its key_file; nil when it gives none.
// Errors name the field and the file.
func externalKey(j scenarios.JWT) (*verifiers.SigningKey, error) {
	field, secret := "credentials.jwt.secret", []byte(j.Secret)
	if j.SecretFile != "" {
		field = "credentials.jwt.secret_file"
		b, err := creds.ReadInput(j.SecretFile, maxSecretFile)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", field, err)
		}
		if secret = trimNewline(b); len(secret) == 0 {
			return nil, fmt.Errorf("%s: %s is empty", field, j.SecretFile)
		}
	}
	switch {
	case len(secret) > 0:
		if min := creds.MinHMACSecret(j.Alg); len(secret) < min {
			return nil, fmt.Errorf("%s: %d bytes: %s needs a secret of at least %d bytes",
				field, len(secret), j.Alg, min)
		}
		k, err := verifiers.NewHMACKey(j.Alg, "", secret)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", field, err)
		}
		return k, nil
	case j.KeyFile != "":
		// verifiers bounds the read but would block opening a FIFO.
		if err := creds.CheckRegular(j.KeyFile); err != nil {
			return nil, fmt.Errorf("credentials.jwt.key_file: %w", err)
		}
		k, err := verifiers.LoadSigningKeyFile(j.KeyFile, j.Alg)
		if err != nil {
			return nil, fmt.Errorf("credentials.jwt.key_file: %w", err)
		}
		return k, nil
	}
	return nil, nil
}

func trimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
