package creds_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/verifiers"
)

const (
	testIssuer   = "https://issuer.gatecrash.test"
	testAudience = "gatecrash-test"
)

var allAlgs = []string{
	verifiers.AlgHS256, verifiers.AlgHS384, verifiers.AlgHS512, verifiers.AlgRS256,
	verifiers.AlgPS256, verifiers.AlgES256, verifiers.AlgEdDSA,
}

// Generating RSA keys is slow: every test shares one key per algorithm.
var (
	keysOnce  sync.Once
	keysByAlg map[string]*verifiers.SigningKey
	keysErr   error
)

func testKeys(t testing.TB) map[string]*verifiers.SigningKey {
	t.Helper()
	keysOnce.Do(func() {
		keysByAlg = map[string]*verifiers.SigningKey{}
		for _, alg := range allAlgs {
			k, err := verifiers.GenerateSigningKey(alg)
			if err != nil {
				keysErr = err
				return
			}
			keysByAlg[alg] = k
		}
	})
	if keysErr != nil {
		t.Fatalf("GenerateSigningKey: %v", keysErr)
	}
	return keysByAlg
}

// embedded is the reference server's material: keys, stores, verifiers.
type embedded struct {
	cfg       creds.Config
	verifiers map[verifiers.Method]verifiers.Verifier
}

// newEmbedded builds the stores and verifiers, with primary as Keys[0].
func newEmbedded(t testing.TB, primary string) embedded {
	t.Helper()
	keys := testKeys(t)
	signing := []*verifiers.SigningKey{keys[primary]}
	vkeys := []verifiers.VerificationKey{keys[primary].VerificationKey()}
	for _, alg := range allAlgs {
		if alg != primary {
			signing = append(signing, keys[alg])
			vkeys = append(vkeys, keys[alg].VerificationKey())
		}
	}
	deny := verifiers.NewMemoryDenylist(nil)
	jwtv, err := verifiers.NewJWT(verifiers.JWTConfig{
		Keys: vkeys, Issuer: testIssuer, Audiences: []string{testAudience},
		Leeway: 30 * time.Second, Denylist: deny,
	})
	if err != nil {
		t.Fatalf("NewJWT: %v", err)
	}
	t.Cleanup(jwtv.Close)
	keyStore := verifiers.NewMemoryKeyStore()
	keyv, err := verifiers.NewAPIKeyVerifier(keyStore, verifiers.APIKeyOptions{Env: "live"})
	if err != nil {
		t.Fatalf("NewAPIKeyVerifier: %v", err)
	}
	sessions := verifiers.NewMemorySessionStore(nil)
	sessv, err := verifiers.NewSessionVerifier(sessions, verifiers.SessionOptions{})
	if err != nil {
		t.Fatalf("NewSessionVerifier: %v", err)
	}
	return embedded{
		cfg: creds.Config{
			Keys: signing, Issuer: testIssuer, Audience: testAudience,
			KeyStore: keyStore, Sessions: sessions, Denylist: deny.Revoker(),
		},
		verifiers: map[verifiers.Method]verifiers.Verifier{
			verifiers.MethodJWT: jwtv, verifiers.MethodAPIKey: keyv, verifiers.MethodSession: sessv,
		},
	}
}

// verify runs c through the verifier of its method; "missing" goes to the
// JWT verifier as an empty value.
func (e embedded) verify(ctx context.Context, c *creds.Credential) (verifiers.Identity, error) {
	m := c.Method
	if m == "" {
		m = verifiers.MethodJWT
	}
	return e.verifiers[m].Verify(ctx, verifiers.Credential{Method: m, Source: c.Source, Value: c.Value})
}

func mintOne(t *testing.T, cfg creds.Config, kind string, roles ...string) *creds.Credential {
	t.Helper()
	set, err := creds.Mint(t.Context(), cfg, creds.Plan{
		Identities: 1, Handshakes: 1, Mix: []creds.Spec{{Kind: kind, Roles: roles}},
	})
	if err != nil {
		t.Fatalf("Mint %s: %v", kind, err)
	}
	return set.At(0)
}

// TestBadKindsRejectedWithDeclaredReason mints every bad kind with each
// algorithm as the primary key and checks the real verifiers reject it with
// the reason the catalogue declares.
func TestBadKindsRejectedWithDeclaredReason(t *testing.T) {
	for _, primary := range allAlgs {
		e := newEmbedded(t, primary)
		for _, k := range creds.Catalogue() {
			if k.Valid {
				continue
			}
			t.Run(primary+"/"+k.Name, func(t *testing.T) {
				c := mintOne(t, e.cfg, k.Name, "admin")
				_, err := e.verify(t.Context(), c)
				if got := verifiers.ReasonOf(err); got != k.Reason {
					t.Errorf("%s %v: reason %q, want %q (err: %v)", k.Name, k.Cases, got, k.Reason, err)
				}
			})
		}
	}
}

// TestValidKindsAccepted checks every valid kind is accepted by the real
// verifiers and names the identity and roles it was minted for.
func TestValidKindsAccepted(t *testing.T) {
	e := newEmbedded(t, verifiers.AlgHS256)
	for _, k := range creds.Catalogue() {
		if !k.Valid {
			continue
		}
		t.Run(k.Name, func(t *testing.T) {
			c := mintOne(t, e.cfg, k.Name, "admin", "user")
			id, err := e.verify(t.Context(), c)
			if err != nil {
				t.Fatalf("%s rejected: %v", k.Name, err)
			}
			if id.Subject != "user-000001" || c.Subject != id.Subject || !id.HasRole("admin") ||
				!id.HasRole("user") || id.Method != k.Method {
				t.Errorf("identity %+v, credential subject %q: want user-000001 with admin, user",
					id, c.Subject)
			}
		})
	}
}
