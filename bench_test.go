package gatecrash_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/verifiers"
)

const (
	benchIssuer   = "https://issuer.bench"
	benchAudience = "gatecrash"
)

// benchCase is one credential and the verifier that accepts it.
type benchCase struct {
	name     string
	verifier verifiers.Verifier
	cred     verifiers.Credential
}

// BenchmarkVerify measures one accepted verification per op for each method,
// uncached and as a cache hit, plus RS256/floor: a bare rsa.VerifyPKCS1v15 of
// the token's digest, the physical floor of uncached RS256.
func BenchmarkVerify(b *testing.B) {
	cases := []benchCase{
		jwtBenchCase(b, verifiers.AlgHS256),
		jwtBenchCase(b, verifiers.AlgRS256),
		jwtBenchCase(b, verifiers.AlgES256),
		jwtBenchCase(b, verifiers.AlgEdDSA),
		apiKeyBenchCase(b),
		sessionBenchCase(b),
	}
	for _, bc := range cases {
		b.Run(bc.name+"/uncached", func(b *testing.B) { benchVerifier(b, bc.verifier, bc.cred) })
		b.Run(bc.name+"/cached", func(b *testing.B) {
			c, err := verifiers.NewCached(bc.verifier, verifiers.CacheConfig{})
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			warm(b, c, bc.cred)
			benchVerifier(b, c, bc.cred)
			s := c.Stats()
			b.ReportMetric(s.HitRatio, "hit-ratio")
		})
		if bc.name == "RS256" {
			b.Run("RS256/floor", func(b *testing.B) { benchRSAFloor(b, bc) })
		}
	}
}

func benchVerifier(b *testing.B, v verifiers.Verifier, cred verifiers.Credential) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, cred); err != nil {
			b.Fatal(err)
		}
	}
}

// warm makes the credential's entry visible so the loop measures hits.
func warm(b *testing.B, c *verifiers.Cached, cred verifiers.Credential) {
	for i := 0; i < 3; i++ {
		if _, err := c.Verify(context.Background(), cred); err != nil {
			b.Fatal(err)
		}
		c.Wait()
	}
	if c.Stats().Hits == 0 {
		b.Fatal("cache never hit while warming")
	}
}

func benchRSAFloor(b *testing.B, bc benchCase) {
	tok := bc.cred.Value
	dot := strings.LastIndexByte(tok, '.')
	sig, err := base64.RawURLEncoding.DecodeString(tok[dot+1:])
	if err != nil {
		b.Fatal(err)
	}
	digest := sha256.Sum256([]byte(tok[:dot]))
	pub := rsaPublic[tok]
	b.ReportAllocs()
	for b.Loop() {
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
			b.Fatal(err)
		}
	}
}

// rsaPublic remembers the RSA public key of each RS256 bench token.
var rsaPublic = map[string]*rsa.PublicKey{}

func jwtBenchCase(b *testing.B, alg string) benchCase {
	key, err := verifiers.GenerateSigningKey(alg)
	if err != nil {
		b.Fatal(err)
	}
	v, err := verifiers.NewJWT(verifiers.JWTConfig{
		Keys:        []verifiers.VerificationKey{key.VerificationKey()},
		Issuer:      benchIssuer,
		Audiences:   []string{benchAudience},
		Leeway:      30 * time.Second,
		MaxLifetime: 2 * time.Hour,
		Denylist:    verifiers.NewMemoryDenylist(nil),
	})
	if err != nil {
		b.Fatal(err)
	}
	claims := verifiers.NewClaims("user-1", benchIssuer, []string{benchAudience}, []string{"user"},
		time.Now(), time.Hour)
	tok, err := key.Sign(claims)
	if err != nil {
		b.Fatal(err)
	}
	if pub, ok := key.VerificationKey().Key.(*rsa.PublicKey); ok {
		rsaPublic[tok] = pub
	}
	return benchCase{name: alg, verifier: v,
		cred: verifiers.Credential{Method: verifiers.MethodJWT, Source: verifiers.SourceAuth, Value: tok}}
}

func apiKeyBenchCase(b *testing.B) benchCase {
	store := verifiers.NewMemoryKeyStore()
	key, _, err := verifiers.NewAPIKey(context.Background(), store, verifiers.APIKeySpec{
		Env: "live", Subject: "svc-1", Roles: []string{"user"}, Namespaces: []string{"/"},
	})
	if err != nil {
		b.Fatal(err)
	}
	v, err := verifiers.NewAPIKeyVerifier(store, verifiers.APIKeyOptions{Env: "live"})
	if err != nil {
		b.Fatal(err)
	}
	return benchCase{name: "APIKey", verifier: v,
		cred: verifiers.Credential{Method: verifiers.MethodAPIKey, Source: verifiers.SourceHeader, Value: key}}
}

func sessionBenchCase(b *testing.B) benchCase {
	store := verifiers.NewMemorySessionStore(nil)
	sess, err := store.Create(context.Background(), "user-1", []string{"user"}, time.Hour, 2*time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	v, err := verifiers.NewSessionVerifier(store, verifiers.SessionOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return benchCase{name: "Session", verifier: v,
		cred: verifiers.Credential{Method: verifiers.MethodSession, Source: verifiers.SourceCookie, Value: sess.ID}}
}
