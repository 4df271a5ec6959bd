package runner

import (
	"crypto/tls"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/loadgen"
	"github.com/gatecrash/gatecrash/scenarios"
)

// Target is what another tool (the audit) needs to aim at a scenario's
// server: its URL, TLS settings and the material to mint credentials for
// it. Close stops the embedded server when the scenario has no target.
type Target struct {
	URL      string
	Path     string
	TLS      *tls.Config
	Material creds.Config
	// Reference is the embedded server; nil with an external target.
	Reference *Reference
}

// Close stops the embedded server, if one was started.
func (t *Target) Close() error {
	if t.Reference == nil {
		return nil
	}
	return t.Reference.Close()
}

// OpenTarget resolves sc's server the way Run does: the external target
// with the scenario's key material and records, or the embedded reference
// server started with the scenario's policy and keys.
func OpenTarget(sc *scenarios.Scenario, opts Options) (*Target, error) {
	if sc.Target != nil {
		material, err := externalMaterial(sc)
		if err != nil {
			return nil, err
		}
		tlsCfg, err := loadgen.TLSConfig(sc.Target.TLS.CAFile, sc.Target.TLS.InsecureSkipVerify)
		if err != nil {
			return nil, err
		}
		return &Target{URL: sc.Target.URL, Path: sc.Target.Path, TLS: tlsCfg, Material: material}, nil
	}
	cfg, err := referenceConfig(sc, opts)
	if err != nil {
		return nil, err
	}
	ref, err := StartReference(cfg)
	if err != nil {
		return nil, err
	}
	return &Target{URL: ref.Server.URL(), Material: ref.Material, Reference: ref}, nil
}
