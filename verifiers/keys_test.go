package verifiers

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var allAlgs = []string{AlgHS256, AlgHS384, AlgHS512, AlgRS256, AlgPS256, AlgES256, AlgEdDSA}

// TestSignVerifyRoundTrip: every supported algorithm mints a token its own
// verification key accepts, with kid and alg in the header.
func TestSignVerifyRoundTrip(t *testing.T) {
	for _, alg := range allAlgs {
		t.Run(alg, func(t *testing.T) {
			key := testKey(t, alg, "main")
			v, err := NewJWT(JWTConfig{Keys: []VerificationKey{key.VerificationKey()}, Issuer: testIssuer,
				Audiences: []string{testAudience}})
			if err != nil {
				t.Fatal(err)
			}
			claims := NewClaims("alice", testIssuer, []string{testAudience}, []string{"user"}, time.Now(), time.Minute)
			tok, err := key.Sign(claims)
			if err != nil {
				t.Fatal(err)
			}
			id, err := v.Verify(context.Background(), Credential{Value: tok})
			if err != nil || id.Subject != "alice" || id.CredentialID != claims.ID {
				t.Fatalf("verify: %+v, %v", id, err)
			}
		})
	}
}

// TestKeyFilesRoundTrip: keys written as PEM and JWK load back to keys that
// verify the same tokens.
func TestKeyFilesRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, alg := range allAlgs {
		t.Run(alg, func(t *testing.T) {
			key := testKey(t, alg, "main")
			jwkPriv, err := key.MarshalJWK()
			if err != nil {
				t.Fatal(err)
			}
			privPath := writeFile(t, dir, alg+".priv.jwk", jwkPriv)
			loaded, err := LoadSigningKeyFile(privPath, "")
			if err != nil {
				t.Fatalf("load private JWK: %v", err)
			}
			if loaded.Alg() != alg || loaded.KID() != key.KID() {
				t.Fatalf("loaded %s/%s, want %s/%s", loaded.Alg(), loaded.KID(), alg, key.KID())
			}
			tok, _ := loaded.Sign(NewClaims("a", testIssuer, []string{testAudience}, nil, time.Now(), time.Minute))

			var pubPath string
			if _, isHMAC := key.Key().([]byte); isHMAC {
				pubPath = privPath
			} else {
				pemPriv, err := key.MarshalPEM()
				if err != nil {
					t.Fatal(err)
				}
				if _, err := LoadSigningKeyFile(writeFile(t, dir, alg+".pem", pemPriv), alg); err != nil {
					t.Fatalf("load private PEM: %v", err)
				}
				pemPub, _ := key.VerificationKey().MarshalPEM()
				pubPath = writeFile(t, dir, alg+".pub.pem", pemPub)
			}
			vks, err := LoadVerificationKeyFile(pubPath, alg)
			if err != nil || len(vks) != 1 {
				t.Fatalf("load verification key: %v (%d keys)", err, len(vks))
			}
			if vks[0].KID != key.KID() {
				t.Fatalf("kid %q, want %q", vks[0].KID, key.KID())
			}
			v, err := NewJWT(JWTConfig{Keys: vks, Issuer: testIssuer, Audiences: []string{testAudience}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.Verify(context.Background(), Credential{Value: tok}); err != nil {
				t.Fatalf("verify with loaded key: %v", err)
			}
		})
	}
}

func TestJWKSetFileAndRefusals(t *testing.T) {
	dir := t.TempDir()
	rs, es := keyFromCache(AlgRS256), keyFromCache(AlgES256)
	set, err := MarshalJWKSet(rs.VerificationKey(), es.VerificationKey())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := LoadVerificationKeyFile(writeFile(t, dir, "set.json", set), "")
	if err != nil || len(keys) != 2 {
		t.Fatalf("load set: %v, %d keys", err, len(keys))
	}
	hs := keyFromCache(AlgHS256)
	if _, err := MarshalJWKSet(hs.VerificationKey()); err == nil {
		t.Fatal("an HMAC secret was published in a JWK set")
	}
	if _, err := LoadSigningKeyFile(writeFile(t, dir, "junk", []byte("not a key")), ""); err == nil {
		t.Fatal("junk accepted as a key")
	}
	if _, err := NewHMACKey(AlgHS256, "", []byte("short")); err == nil {
		t.Fatal("short HMAC secret accepted")
	}
	if _, err := GenerateSigningKey("none"); err == nil {
		t.Fatal("alg none accepted")
	}
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFingerprint(t *testing.T) {
	a, b := Fingerprint("token-a"), Fingerprint("token-b")
	if len(a) != 16 || a == b || a != Fingerprint("token-a") {
		t.Fatalf("fingerprints %q %q", a, b)
	}
}
