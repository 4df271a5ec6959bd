package creds_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/verifiers"
)

func TestCredentialPlacement(t *testing.T) {
	e := newEmbedded(t, verifiers.AlgHS256)
	e.cfg.SessionCookie = "gc_sid"
	tests := []struct {
		name   string
		kind   string
		src    verifiers.Source
		auth   string // key of the auth payload, "" for none
		header string // prefix of the header line, "" for none
		query  string // query key, "" for none
	}{
		{name: "jwt in auth", kind: "jwt", src: verifiers.SourceAuth, auth: "token"},
		{name: "apikey in auth", kind: "apikey", src: verifiers.SourceAuth, auth: "apiKey"},
		{name: "session in auth", kind: "session", src: verifiers.SourceAuth, auth: "sessionId"},
		{name: "jwt bearer header", kind: "jwt", src: verifiers.SourceHeader,
			header: "Authorization: Bearer "},
		{name: "apikey header", kind: "apikey", src: verifiers.SourceHeader,
			header: "Authorization: ApiKey "},
		{name: "session cookie", kind: "session", src: verifiers.SourceCookie, header: "Cookie: gc_sid="},
		{name: "jwt query", kind: "jwt", src: verifiers.SourceQuery, query: "token"},
		{name: "apikey query", kind: "apikey", src: verifiers.SourceQuery, query: "api_key"},
		{name: "session query", kind: "session", src: verifiers.SourceQuery, query: "session_id"},
		{name: "missing places nothing", kind: "missing", src: verifiers.SourceHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := creds.Mint(t.Context(), e.cfg, creds.Plan{Identities: 1, Handshakes: 1,
				Mix: []creds.Spec{{Kind: tt.kind, Source: tt.src}}})
			if err != nil {
				t.Fatal(err)
			}
			c := set.At(0)
			h, q := http.Header{}, url.Values{}
			c.Apply(h, q)

			checkAuth(t, c, tt.auth)
			var lines []string
			for k, vs := range h {
				for _, v := range vs {
					lines = append(lines, k+": "+v)
				}
			}
			if tt.header == "" && len(lines) != 0 || tt.header != "" &&
				(len(lines) != 1 || lines[0] != tt.header+c.Value) {
				t.Errorf("headers %q, want %q + value", lines, tt.header)
			}
			if tt.query == "" && len(q) != 0 || tt.query != "" && (len(q) != 1 || q.Get(tt.query) != c.Value) {
				t.Errorf("query %v, want %s=value", q, tt.query)
			}
		})
	}
}

func checkAuth(t *testing.T, c *creds.Credential, key string) {
	t.Helper()
	if key == "" {
		if c.Auth() != nil {
			t.Errorf("auth %s, want none", c.Auth())
		}
		return
	}
	var got map[string]string
	if err := json.Unmarshal(c.Auth(), &got); err != nil || len(got) != 1 || got[key] != c.Value {
		t.Errorf("auth %s, want {%q: value}", c.Auth(), key)
	}
}

func TestMintErrorsNameTheKind(t *testing.T) {
	keys := testKeys(t)
	hs := creds.Config{Keys: []*verifiers.SigningKey{keys[verifiers.AlgHS256]}, Issuer: "i", Audience: "a"}
	tests := []struct {
		name string
		cfg  creds.Config
		plan creds.Plan
		want error
		says string
	}{
		{name: "unknown kind", cfg: hs, plan: plan1(creds.Spec{Kind: "jwt-hs999"}),
			want: creds.ErrUnknownKind, says: "jwt-hs999"},
		{name: "no key for the algorithm", cfg: hs, plan: plan1(creds.Spec{Kind: "jwt-rs256"}),
			want: creds.ErrNoMaterial, says: "jwt-rs256"},
		{name: "no key at all", cfg: creds.Config{}, plan: plan1(creds.Spec{Kind: "jwt-expired"}),
			want: creds.ErrNoMaterial, says: "jwt-expired"},
		{name: "api key without store or records", cfg: hs, plan: plan1(creds.Spec{Kind: "apikey"}),
			want: creds.ErrNoMaterial, says: "apikey"},
		{name: "expired session without store or records", cfg: hs,
			plan: plan1(creds.Spec{Kind: "session-expired"}), want: creds.ErrNoMaterial, says: "session-expired"},
		{name: "revoked jwt without denylist", cfg: hs, plan: plan1(creds.Spec{Kind: "jwt-revoked"}),
			want: creds.ErrNoMaterial, says: "jwt-revoked"},
		{name: "session in a header", cfg: hs,
			plan: plan1(creds.Spec{Kind: "session-unknown", Source: verifiers.SourceHeader}),
			want: creds.ErrPlacement, says: "session-unknown"},
		{name: "jwt in the cookie", cfg: hs, plan: plan1(creds.Spec{Kind: "jwt", Source: verifiers.SourceCookie}),
			want: creds.ErrPlacement, says: "jwt"},
		{name: "negative weight", cfg: hs, plan: plan1(creds.Spec{Kind: "jwt", Weight: -1}),
			want: creds.ErrPlan},
		{name: "no identity", cfg: hs, plan: creds.Plan{Handshakes: 1, Mix: []creds.Spec{{Kind: "jwt"}}},
			want: creds.ErrPlan},
		{name: "zipf without s", cfg: hs, plan: creds.Plan{Identities: 2, Handshakes: 1,
			Reuse: creds.Reuse{Pattern: creds.ReuseZipf}, Mix: []creds.Spec{{Kind: "jwt"}}}, want: creds.ErrPlan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := creds.Mint(t.Context(), tt.cfg, tt.plan)
			if !errors.Is(err, tt.want) || !strings.Contains(fmtErr(err), tt.says) {
				t.Errorf("err = %v, want %v naming %q", err, tt.want, tt.says)
			}
		})
	}
}

func fmtErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func plan1(s creds.Spec) creds.Plan {
	return creds.Plan{Identities: 1, Handshakes: 1, Mix: []creds.Spec{s}}
}

func TestMintReusePatterns(t *testing.T) {
	e := newEmbedded(t, verifiers.AlgHS256)
	mix := []creds.Spec{{Kind: "jwt", Weight: 3}, {Kind: "jwt-expired", Weight: 1}}
	tests := []struct {
		name        string
		reuse       creds.Reuse
		identities  int
		maxDistinct int
		minDistinct int
	}{
		{name: "unique per handshake", reuse: creds.Reuse{Pattern: creds.ReuseUnique}, identities: 10,
			minDistinct: 2000, maxDistinct: 2000},
		{name: "uniform over 10", reuse: creds.Reuse{Pattern: creds.ReuseUniform}, identities: 10,
			minDistinct: 20, maxDistinct: 20},
		{name: "zipf over 1000", reuse: creds.Reuse{Pattern: creds.ReuseZipf, S: 1.2}, identities: 1000,
			minDistinct: 50, maxDistinct: 1500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := creds.Mint(t.Context(), e.cfg, creds.Plan{Identities: tt.identities,
				Handshakes: 2000, Reuse: tt.reuse, Mix: mix, Seed: 9})
			if err != nil {
				t.Fatal(err)
			}
			if set.Len() != 2000 || set.Distinct() < tt.minDistinct || set.Distinct() > tt.maxDistinct {
				t.Fatalf("Len %d Distinct %d, want 2000 and %d..%d", set.Len(), set.Distinct(),
					tt.minDistinct, tt.maxDistinct)
			}
			values := map[string]string{} // value -> subject: a reused value names one subject
			for i := range set.Len() {
				c := set.At(i)
				if s, ok := values[c.Value]; ok && s != c.Subject {
					t.Fatalf("value reused for %s and %s", s, c.Subject)
				}
				values[c.Value] = c.Subject
			}
			if len(values) != set.Distinct() {
				t.Errorf("%d distinct values, Distinct() = %d", len(values), set.Distinct())
			}
		})
	}
}

// TestMintIsDeterministic: one seed, one sequence of kinds and subjects.
func TestMintIsDeterministic(t *testing.T) {
	e := newEmbedded(t, verifiers.AlgHS256)
	plan := creds.Plan{Identities: 50, Handshakes: 500, Seed: 123,
		Reuse: creds.Reuse{Pattern: creds.ReuseZipf, S: 1},
		Mix:   []creds.Spec{{Kind: "jwt"}, {Kind: "apikey-unknown"}, {Kind: "missing", Weight: 0.5}}}
	sequence := func(p creds.Plan) string {
		set, err := creds.Mint(t.Context(), e.cfg, p)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i := range set.Len() {
			b.WriteString(set.At(i).Kind + "/" + set.At(i).Subject + " ")
		}
		return b.String()
	}

	first, again := sequence(plan), sequence(plan)
	plan.Seed++
	other := sequence(plan)

	if first != again {
		t.Error("the same seed drew different sequences")
	}
	if first == other {
		t.Error("another seed drew the same sequence")
	}
	if !strings.Contains(first, "missing/") || !strings.Contains(first, "apikey-unknown/user-000001") {
		t.Errorf("sequence lacks a kind or the hottest subject: %.200s", first)
	}
}

func TestMintMixWeights(t *testing.T) {
	e := newEmbedded(t, verifiers.AlgHS256)
	set, err := creds.Mint(t.Context(), e.cfg, creds.Plan{Identities: 100, Handshakes: 20_000, Seed: 5,
		Mix: []creds.Spec{{Kind: "jwt", Weight: 8}, {Kind: "missing", Weight: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	missing := 0
	for i := range set.Len() {
		if set.At(i).Kind == "missing" {
			missing++
		}
	}
	// 20% of 20 000 is 4000, with a standard deviation of about 57.
	if missing < 3700 || missing > 4300 {
		t.Errorf("missing drawn %d times, want ≈ 4000", missing)
	}
}

func TestMintStopsWhenCanceled(t *testing.T) {
	e := newEmbedded(t, verifiers.AlgHS256)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := creds.Mint(ctx, e.cfg, creds.Plan{Identities: 10, Handshakes: 100,
		Mix: []creds.Spec{{Kind: "jwt"}}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestMintDoesNotModifyTheCaller(t *testing.T) {
	e := newEmbedded(t, verifiers.AlgHS256)
	roles := []string{"admin"}
	plan := creds.Plan{Identities: 1, Handshakes: 1, Mix: []creds.Spec{{Kind: "jwt", Roles: roles}}}
	set, err := creds.Mint(t.Context(), e.cfg, plan)
	if err != nil {
		t.Fatal(err)
	}
	roles[0] = "changed"
	if got := set.At(0).Roles(); got[0] != "admin" {
		t.Errorf("Roles() = %v after the caller changed its slice", got)
	}
	if plan.Mix[0].Source != "" || plan.Mix[0].Weight != 0 || e.cfg.TTL != 0 {
		t.Error("Mint filled defaults into the caller's values")
	}
}

func writeTemp(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
