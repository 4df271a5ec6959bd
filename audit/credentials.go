package audit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/verifiers"
)

// kindForeignKey names a JWT valid in every respect but signed with a key the
// audit made up: what every JWT kind becomes when the user supplied no key.
const kindForeignKey = "jwt-foreign-key"

// sources are where the audit places credentials: the CONNECT auth payload,
// and the session-level header or cookie each method can use.
var sources = []verifiers.Source{verifiers.SourceAuth, verifiers.SourceHeader, verifiers.SourceCookie}

// credential is one minted credential and what the audit knows of it.
type credential struct {
	kind  string
	refs  []string
	good  bool
	where verifiers.Source
	c     *creds.Credential
	// onAccept ranks the credential's acceptance on a guarded namespace;
	// accepted explains it.
	onAccept Severity
	accepted string
}

// findPolicyAccepted explains the acceptance of a token signed by a key the
// target trusts, naming a real identity, that breaks a rule of a strict
// verifier (CASES.md B, C): not a forgery, a weaker policy.
const findPolicyAccepted = "a token signed with a trusted key but breaking a strict verifier's rule was accepted"

// policyKinds are the bad kinds that only break a verification policy when
// signed with the target's own key, with the severity of their acceptance:
// high when the token escapes its lifetime or its type (a refresh token
// used as an access token), medium for the rest. Every other bad kind is a
// forgery, a dead credential or none at all: critical.
var policyKinds = map[string]Severity{
	"jwt-no-exp": SeverityHigh, "jwt-not-yet-valid": SeverityHigh, "jwt-wrong-type": SeverityHigh,
	"jwt-unknown-kid": SeverityMedium, "jwt-crit": SeverityMedium, "jwt-roles-string": SeverityMedium,
	"jwt-no-iat": SeverityMedium, "jwt-no-sub": SeverityMedium, "jwt-iat-future": SeverityMedium,
	"jwt-oversize": SeverityMedium,
}

// handshake returns the header, query and CONNECT auth payload that present
// the credential.
func (cr credential) handshake() (http.Header, url.Values, []byte) {
	h, q := http.Header{}, url.Values{}
	cr.c.Apply(h, q)
	if len(h) == 0 {
		h = nil
	}
	if len(q) == 0 {
		q = nil
	}
	return h, q, cr.c.Auth()
}

// minter mints credentials once per role set and remembers them.
type minter struct {
	material creds.Config
	kinds    []creds.Kind
	foreign  bool
	red      *redactor
	byRoles  map[string][]credential
}

// newMinter prepares minting from cfg's material. Without a signing key it
// makes a throwaway HS256 key, so JWT kinds can still be sent: all of them
// are then bad.
func newMinter(cfg Config, red *redactor) (*minter, error) {
	m := &minter{material: cfg.Material, red: red, byRoles: map[string][]credential{}}
	if len(m.material.Keys) == 0 {
		k, err := verifiers.GenerateSigningKey(verifiers.AlgHS256)
		if err != nil {
			return nil, fmt.Errorf("%w: throwaway key: %w", ErrConfig, err)
		}
		m.material.Keys, m.foreign = []*verifiers.SigningKey{k}, true
	}
	if m.material.Issuer == "" {
		m.material.Issuer = "gatecrash"
	}
	if m.material.Audience == "" {
		m.material.Audience = "gatecrash"
	}
	for _, k := range creds.Catalogue() {
		if len(cfg.Kinds) == 0 || slices.Contains(cfg.Kinds, k.Name) {
			m.kinds = append(m.kinds, k)
		}
	}
	for _, name := range cfg.Kinds {
		if _, err := creds.Lookup(name); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
	}
	return m, nil
}

// forRoles returns every credential mintable for an identity holding roles,
// in every place it can travel. Kinds the material cannot mint are left
// out.
func (m *minter) forRoles(ctx context.Context, roles []string) ([]credential, error) {
	key := strings.Join(roles, "\x00")
	if out, ok := m.byRoles[key]; ok {
		return out, nil
	}
	var out []credential
	for _, k := range m.kinds {
		if m.foreign && k.Valid && k.Method == verifiers.MethodJWT && k.Name != "jwt" {
			continue // one foreign-key JWT is enough
		}
		for _, src := range sources {
			cr, err := m.mint(ctx, k, roles, src)
			if errors.Is(err, creds.ErrNoMaterial) || errors.Is(err, creds.ErrPlacement) {
				continue
			}
			if err != nil {
				return nil, err
			}
			out = append(out, cr)
		}
	}
	m.byRoles[key] = out
	return out, nil
}

// mint mints one credential of kind k.
func (m *minter) mint(ctx context.Context, k creds.Kind, roles []string, src verifiers.Source) (
	credential, error) {
	if k.Method == "" && src != verifiers.SourceAuth {
		return credential{}, creds.ErrPlacement // "missing" is the same everywhere
	}
	set, err := creds.Mint(ctx, m.material, creds.Plan{
		Identities: 1,
		Reuse:      creds.Reuse{Pattern: creds.ReuseUnique},
		Mix:        []creds.Spec{{Kind: k.Name, Roles: roles, Source: src}},
		Handshakes: 1,
		Seed:       1,
	})
	if err != nil {
		return credential{}, err
	}
	c := set.At(0)
	m.red.add(c.Value)
	cr := credential{kind: k.Name, refs: k.Cases, good: k.Valid, where: src, c: c,
		onAccept: SeverityCritical, accepted: findBadAccepted}
	if sev, ok := policyKinds[k.Name]; ok && !m.foreign {
		cr.onAccept, cr.accepted = sev, findPolicyAccepted
	}
	if m.foreign && k.Method == verifiers.MethodJWT && k.Valid {
		cr.kind, cr.good, cr.refs = kindForeignKey, false, []string{"B-07"}
	}
	return cr, nil
}

// goodFor returns the first good credential among crs travelling in one of
// wheres, and whether there is one.
func goodFor(crs []credential, wheres ...verifiers.Source) (credential, bool) {
	g := goodsFor(crs, wheres...)
	if len(g) == 0 {
		return credential{}, false
	}
	return g[0], true
}

// maxJoinTries bounds the good credentials tried to join a namespace: the
// audit does not know which method a namespace accepts.
const maxJoinTries = 3

// goodsFor returns the good credentials among crs travelling in one of
// wheres, one per method, at most maxJoinTries of them.
func goodsFor(crs []credential, wheres ...verifiers.Source) []credential {
	var out []credential
	seen := map[verifiers.Method]bool{}
	for _, cr := range crs {
		if cr.good && slices.Contains(wheres, cr.where) && !seen[cr.c.Method] && len(out) < maxJoinTries {
			seen[cr.c.Method] = true
			out = append(out, cr)
		}
	}
	return out
}
