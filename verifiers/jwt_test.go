package verifiers

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	testIssuer   = "https://issuer.test"
	testAudience = "gatecrash"
)

// del in a header or claims override removes the field.
type delMarker struct{}

var del = delMarker{}

type jwtFix struct {
	t     testing.TB
	clock *fakeClock
	key   *SigningKey
	deny  revocableDenylist
}

func newJWTFix(t *testing.T) *jwtFix { return newJWTFixOn(t, memoryBackend) }

// newJWTFixOn makes the fixture over b's denylist.
func newJWTFixOn(t *testing.T, b backend) *jwtFix {
	clock := newFakeClock()
	return &jwtFix{t: t, clock: clock, key: testKey(t, AlgHS256, "main"), deny: b.denylist(t, clock.Now)}
}

func (f *jwtFix) config() JWTConfig {
	return JWTConfig{
		Keys:        []VerificationKey{f.key.VerificationKey()},
		Issuer:      testIssuer,
		Audiences:   []string{testAudience},
		Leeway:      30 * time.Second,
		MaxLifetime: time.Hour,
		Denylist:    f.deny,
		Clock:       f.clock.Now,
	}
}

func (f *jwtFix) verifier(mod func(*JWTConfig)) *JWT {
	cfg := f.config()
	if mod != nil {
		mod(&cfg)
	}
	v, err := NewJWT(cfg)
	if err != nil {
		f.t.Fatalf("NewJWT: %v", err)
	}
	f.t.Cleanup(v.Close)
	return v
}

// token signs claims (the good defaults with overrides) with key, using
// header overrides; method picks the real signing algorithm.
func (f *jwtFix) token(key *SigningKey, header, claims map[string]any) string {
	f.t.Helper()
	now := f.clock.Now().Unix()
	c := jwt.MapClaims{
		ClaimSubject: "alice", ClaimIssuer: testIssuer, ClaimAudience: []string{testAudience},
		ClaimExpiresAt: now + 600, ClaimIssuedAt: now, ClaimNotBefore: now,
		ClaimID: "jti-1", ClaimRoles: []string{"user"},
	}
	apply(c, claims)
	tok := jwt.NewWithClaims(key.method, c)
	tok.Header = map[string]any{HeaderAlg: key.alg, HeaderKID: key.kid, HeaderTyp: "JWT"}
	apply(tok.Header, header)
	s, err := tok.SignedString(key.key)
	if err != nil {
		f.t.Fatalf("sign: %v", err)
	}
	return s
}

func (f *jwtFix) good() string { return f.token(f.key, nil, nil) }

func apply(m map[string]any, over map[string]any) {
	for k, v := range over {
		if v == del {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
}

type jwtCase struct {
	kind  string // the kind of fault; the test name
	id    string // CASES.md row
	token func(f *jwtFix) string
	cfg   func(*JWTConfig)
	want  Reason
}

func TestJWTDecisions(t *testing.T) {
	cases := append(append(jwtPresenceCases(), jwtStructureCases()...), jwtClaimCases()...)
	for _, tc := range cases {
		for _, m := range modes {
			t.Run(tc.id+"_"+tc.kind+"/"+m.name, func(t *testing.T) {
				f := newJWTFix(t)
				v := m.wrap(t, f.verifier(tc.cfg), f.clock.Now)
				tok := tc.token(f)
				expectDecision(t, v, Credential{Method: MethodJWT, Source: SourceAuth, Value: tok}, tc.want)
			})
		}
	}
}

func jwtPresenceCases() []jwtCase {
	return []jwtCase{
		{kind: "good_token", id: "OK", token: (*jwtFix).good},
		{kind: "missing", id: "A-01", token: func(*jwtFix) string { return "" }, want: ReasonMissing},
		{kind: "whitespace_only", id: "A-03", token: func(*jwtFix) string { return " " }, want: ReasonMalformed},
		{kind: "scheme_prefix_left_in", id: "A-03",
			token: func(f *jwtFix) string { return "Bearer " + f.good() }, want: ReasonMalformed},
		{kind: "trailing_space", id: "A-03",
			token: func(f *jwtFix) string { return f.good() + " " }, want: ReasonMalformed},
		{kind: "oversize_before_parsing", id: "A-13",
			token: func(*jwtFix) string { return strings.Repeat("a", 900<<10) }, want: ReasonTooLarge},
		{kind: "nul_byte", id: "A-15",
			token: func(f *jwtFix) string { return f.good() + "\x00" }, want: ReasonMalformed},
		{kind: "crlf_injection", id: "A-15",
			token: func(f *jwtFix) string { return f.good() + "\r\nX: y" }, want: ReasonMalformed},
		{kind: "invalid_utf8", id: "A-15",
			token: func(f *jwtFix) string { return "\xff" + f.good() }, want: ReasonMalformed},
	}
}

func jwtStructureCases() []jwtCase {
	hdr := func(h map[string]any) func(*jwtFix) string {
		return func(f *jwtFix) string { return f.token(f.key, h, nil) }
	}
	seg := func(i int, fn func(string) string) func(*jwtFix) string {
		return func(f *jwtFix) string {
			parts := strings.Split(f.good(), ".")
			parts[i] = fn(parts[i])
			return strings.Join(parts, ".")
		}
	}
	cases := []jwtCase{
		{kind: "bad_base64_header", id: "B-01", token: seg(0, func(string) string { return "eyJ!!!" }),
			want: ReasonMalformed},
		{kind: "std_alphabet_signature", id: "B-01",
			token: seg(2, func(s string) string { return "+/" + s[2:] }), want: ReasonMalformed},
		{kind: "padded_segment", id: "B-01", token: seg(1, func(s string) string { return s + "=" }),
			want: ReasonMalformed},
		{kind: "noncanonical_signature_bits", id: "B-10", token: seg(2, flipTrailingBits),
			want: ReasonMalformed},
		{kind: "two_segments", id: "B-02", token: func(f *jwtFix) string {
			return f.good()[:strings.LastIndex(f.good(), ".")]
		}, want: ReasonMalformed},
		{kind: "four_segments", id: "B-02", token: func(f *jwtFix) string { return f.good() + ".a" },
			want: ReasonMalformed},
		{kind: "only_dots", id: "B-02", token: func(*jwtFix) string { return ".." }, want: ReasonMalformed},
		{kind: "many_dots_over_cap", id: "B-03",
			token: func(*jwtFix) string { return strings.Repeat(".", 1<<20) }, want: ReasonTooLarge},
		{kind: "many_dots_under_cap", id: "B-03",
			token: func(*jwtFix) string { return strings.Repeat(".", 8000) }, want: ReasonMalformed},
		{kind: "alg_none_signed", id: "B-04", token: func(f *jwtFix) string {
			tok := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"sub": "alice"})
			s, _ := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
			return s
		}, want: ReasonBadAlgorithm},
		{kind: "alg_missing", id: "B-04", token: hdr(map[string]any{HeaderAlg: del}), want: ReasonBadAlgorithm},
		{kind: "alg_null", id: "B-04", token: hdr(map[string]any{HeaderAlg: nil}), want: ReasonBadAlgorithm},
		{kind: "alg_array", id: "B-04", token: hdr(map[string]any{HeaderAlg: []string{"HS256"}}),
			want: ReasonBadAlgorithm},
		{kind: "alg_lowercase_variant", id: "B-04", token: hdr(map[string]any{HeaderAlg: "hs256"}),
			want: ReasonBadAlgorithm},
		{kind: "alg_confusion_rs_to_hs", id: "B-05", token: rsToHSConfusion, cfg: rsaOnly,
			want: ReasonBadAlgorithm},
		{kind: "alg_same_family_not_allowed", id: "B-06", token: func(f *jwtFix) string {
			k, _ := NewHMACKey(AlgHS384, f.key.kid, append(f.key.key.([]byte), make([]byte, 16)...))
			return f.token(k, nil, nil)
		}, want: ReasonBadAlgorithm},
		{kind: "alg_ps_for_rs_key", id: "B-06", token: func(f *jwtFix) string {
			rs := testKey(f.t, AlgRS256, "main")
			ps, _ := NewSigningKey(AlgPS256, rs.kid, rs.key)
			return f.token(ps, nil, nil)
		}, cfg: rsaOnly, want: ReasonBadAlgorithm},
		{kind: "alg_of_other_key_in_set", id: "B-06", token: func(f *jwtFix) string {
			es := testKey(f.t, AlgES256, "main")
			return f.token(es, map[string]any{HeaderKID: f.key.kid}, nil)
		}, cfg: withExtraKey(AlgES256), want: ReasonBadAlgorithm},
		{kind: "signature_from_other_key", id: "B-07", token: func(f *jwtFix) string {
			other, _ := NewHMACKey(AlgHS256, f.key.kid, make([]byte, 32))
			return f.token(other, nil, nil)
		}, want: ReasonBadSignature},
		{kind: "signature_bit_flip", id: "B-07", token: seg(2, flipMiddle), want: ReasonBadSignature},
		{kind: "signature_truncated", id: "B-07", token: seg(2, func(s string) string { return s[:len(s)/4*4-4] }),
			want: ReasonBadSignature},
		{kind: "signature_empty", id: "B-07", token: seg(2, func(string) string { return "" }),
			want: ReasonBadSignature},
		{kind: "bad_signature_and_expired", id: "B-08", token: func(f *jwtFix) string {
			other, _ := NewHMACKey(AlgHS256, f.key.kid, make([]byte, 32))
			return f.token(other, nil, map[string]any{ClaimExpiresAt: f.clock.After(-time.Hour)})
		}, want: ReasonBadSignature},
		{kind: "signature_spliced", id: "B-09", token: func(f *jwtFix) string {
			a := strings.Split(f.good(), ".")
			b := strings.Split(f.token(f.key, nil, map[string]any{ClaimSubject: "mallory"}), ".")
			return a[0] + "." + b[1] + "." + a[2]
		}, want: ReasonBadSignature},
	}
	return append(cases, jwtHeaderCases()...)
}

func jwtHeaderCases() []jwtCase {
	hdr := func(h map[string]any) func(*jwtFix) string {
		return func(f *jwtFix) string { return f.token(f.key, h, nil) }
	}
	cases := []jwtCase{
		{kind: "unknown_kid", id: "B-11", token: hdr(map[string]any{HeaderKID: "nope"}), want: ReasonUnknownKey},
		{kind: "kid_wrong_type_number", id: "B-13", token: hdr(map[string]any{HeaderKID: 123}),
			want: ReasonUnknownKey},
		{kind: "kid_wrong_type_null", id: "B-13", token: hdr(map[string]any{HeaderKID: nil}),
			want: ReasonUnknownKey},
		{kind: "kid_wrong_type_array", id: "B-13", token: hdr(map[string]any{HeaderKID: []string{"a"}}),
			want: ReasonUnknownKey},
		{kind: "crit_header", id: "B-15",
			token: hdr(map[string]any{HeaderCrit: []string{"x-unknown"}, "x-unknown": 1}), want: ReasonMalformed},
		{kind: "typ_refresh_token", id: "B-16", token: hdr(map[string]any{HeaderTyp: "refresh+jwt"}),
			want: ReasonWrongType},
		{kind: "typ_wrong_json_type", id: "B-16", token: hdr(map[string]any{HeaderTyp: 5}),
			want: ReasonWrongType},
		{kind: "typ_absent_accepted", id: "B-16", token: hdr(map[string]any{HeaderTyp: del})},
		{kind: "no_kid_single_key_accepted", id: "B-17", token: hdr(map[string]any{HeaderKID: del})},
		{kind: "no_kid_several_keys", id: "B-17", token: hdr(map[string]any{HeaderKID: del}),
			cfg: withExtraKey(AlgES256), want: ReasonUnknownKey},
		{kind: "deep_json_over_cap", id: "B-18", token: func(f *jwtFix) string {
			aud := make([]string, 100000)
			for i := range aud {
				aud[i] = "x"
			}
			return f.token(f.key, nil, map[string]any{ClaimAudience: aud})
		}, want: ReasonTooLarge},
	}
	for _, kid := range []string{"../../../../dev/null", "' OR '1'='1", "/proc/self/environ", "a\r\nX: y",
		strings.Repeat("k", 1024)} {
		cases = append(cases, jwtCase{kind: "kid_injection", id: "B-12",
			token: hdr(map[string]any{HeaderKID: kid}), want: ReasonUnknownKey})
	}
	for _, name := range keyReferenceHeaders {
		cases = append(cases, jwtCase{kind: "key_reference_header_" + name, id: "B-14",
			token: hdr(map[string]any{name: "http://127.0.0.1:1/jwks.json"}), want: ReasonUnknownKey})
	}
	return cases
}

func jwtClaimCases() []jwtCase {
	cl := func(c map[string]any) func(*jwtFix) string {
		return func(f *jwtFix) string { return f.token(f.key, nil, c) }
	}
	at := func(d time.Duration, claim string) func(*jwtFix) string {
		return func(f *jwtFix) string { return f.token(f.key, nil, map[string]any{claim: f.clock.After(d)}) }
	}
	noLeeway := func(c *JWTConfig) { c.Leeway = 0 }
	return []jwtCase{
		{kind: "expired_outside_leeway", id: "C-01", token: at(-35*time.Second, ClaimExpiresAt), want: ReasonExpired},
		{kind: "expired_inside_leeway", id: "C-02", token: at(-15*time.Second, ClaimExpiresAt)},
		{kind: "expired_inside_leeway_without_leeway", id: "C-02", token: at(-15*time.Second, ClaimExpiresAt),
			cfg: noLeeway, want: ReasonExpired},
		{kind: "exp_equals_now", id: "C-03", token: at(0, ClaimExpiresAt), cfg: noLeeway, want: ReasonExpired},
		{kind: "exp_now_plus_one", id: "C-03", token: at(time.Second, ClaimExpiresAt), cfg: noLeeway},
		{kind: "exp_missing", id: "C-04", token: cl(map[string]any{ClaimExpiresAt: del}), want: ReasonMissingClaim},
		{kind: "exp_huge", id: "C-08", token: cl(map[string]any{ClaimExpiresAt: 1e300}), want: ReasonExpired},
		{kind: "exp_negative", id: "C-08", token: cl(map[string]any{ClaimExpiresAt: -1}), want: ReasonExpired},
		{kind: "exp_fractional_past", id: "C-08", token: cl(map[string]any{ClaimExpiresAt: 1.5e9}),
			want: ReasonExpired},
		{kind: "lifetime_too_long", id: "C-09", token: at(10*365*24*time.Hour, ClaimExpiresAt), want: ReasonLifetime},
		{kind: "nbf_future_outside_leeway", id: "C-10", token: at(5*time.Minute, ClaimNotBefore),
			want: ReasonNotYetValid},
		{kind: "nbf_future_inside_leeway", id: "C-10", token: at(15*time.Second, ClaimNotBefore)},
		{kind: "iat_future", id: "C-11", token: at(time.Hour, ClaimIssuedAt), want: ReasonNotYetValid},
		{kind: "iat_missing", id: "C-12", token: cl(map[string]any{ClaimIssuedAt: del}), want: ReasonMissingClaim},
		{kind: "iss_other", id: "C-13", token: cl(map[string]any{ClaimIssuer: "https://evil"}),
			want: ReasonWrongIssuer},
		{kind: "iss_case_variant", id: "C-13", token: cl(map[string]any{ClaimIssuer: "HTTPS://ISSUER.TEST"}),
			want: ReasonWrongIssuer},
		{kind: "iss_trailing_slash", id: "C-13", token: cl(map[string]any{ClaimIssuer: testIssuer + "/"}),
			want: ReasonWrongIssuer},
		{kind: "iss_missing", id: "C-13", token: cl(map[string]any{ClaimIssuer: del}), want: ReasonWrongIssuer},
		{kind: "aud_other", id: "C-14", token: cl(map[string]any{ClaimAudience: "other"}), want: ReasonWrongAudience},
		{kind: "aud_empty_list", id: "C-14", token: cl(map[string]any{ClaimAudience: []string{}}),
			want: ReasonWrongAudience},
		{kind: "aud_empty_string", id: "C-14", token: cl(map[string]any{ClaimAudience: ""}),
			want: ReasonWrongAudience},
		{kind: "aud_wrong_json_type", id: "C-14", token: cl(map[string]any{ClaimAudience: 5}),
			want: ReasonMissingClaim},
		{kind: "aud_missing", id: "C-14", token: cl(map[string]any{ClaimAudience: del}), want: ReasonWrongAudience},
		{kind: "aud_any_of_accepted", id: "C-14",
			token: cl(map[string]any{ClaimAudience: []string{"other", testAudience}})},
		{kind: "roles_string_not_array", id: "C-17", token: cl(map[string]any{ClaimRoles: "admin"}),
			want: ReasonMissingClaim},
		{kind: "roles_object", id: "C-17", token: cl(map[string]any{ClaimRoles: map[string]bool{"admin": true}}),
			want: ReasonMissingClaim},
		{kind: "jti_denylisted", id: "C-18", token: func(f *jwtFix) string {
			f.deny.Revoke("jti-1", f.clock.Now().Add(time.Hour))
			return f.good()
		}, want: ReasonRevoked},
		{kind: "jti_missing_with_denylist", id: "C-19", token: cl(map[string]any{ClaimID: del}),
			want: ReasonMissingClaim},
		{kind: "sub_missing", id: "C-21", token: cl(map[string]any{ClaimSubject: del}), want: ReasonMissingClaim},
		{kind: "sub_wrong_json_type", id: "C-21", token: cl(map[string]any{ClaimSubject: 123}),
			want: ReasonMissingClaim},
	}
}

// rsaOnly configures the verifier with the RS256 test key only.
func rsaOnly(c *JWTConfig) {
	c.Keys = []VerificationKey{keyFromCache(AlgRS256).VerificationKey()}
}

func withExtraKey(alg string) func(*JWTConfig) {
	return func(c *JWTConfig) { c.Keys = append(c.Keys, keyFromCache(alg).VerificationKey()) }
}

func keyFromCache(alg string) *SigningKey {
	if k, ok := keyCache.Load(alg + "/main"); ok {
		return k.(*SigningKey)
	}
	k, err := GenerateSigningKey(alg)
	if err != nil {
		panic(err)
	}
	actual, _ := keyCache.LoadOrStore(alg+"/main", k)
	return actual.(*SigningKey)
}

// rsToHSConfusion signs an HS256 token with the RSA public key's PEM as the
// HMAC secret (CASES B-05).
func rsToHSConfusion(f *jwtFix) string {
	rs := keyFromCache(AlgRS256)
	pemBytes, err := rs.VerificationKey().MarshalPEM()
	if err != nil {
		f.t.Fatal(err)
	}
	confused := &SigningKey{alg: AlgHS256, kid: rs.kid, key: pemBytes, method: jwt.SigningMethodHS256}
	return f.token(confused, nil, nil)
}

// flipTrailingBits changes the unused low bits of a segment's last base64url
// character: same bytes under lenient decoding, rejected by strict decoding.
func flipTrailingBits(s string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, s[len(s)-1])
	return s[:len(s)-1] + string(alphabet[last|1])
}

// flipMiddle changes one character in the middle of a segment.
func flipMiddle(s string) string {
	i := len(s) / 2
	c := byte('A')
	if s[i] == 'A' {
		c = 'B'
	}
	return s[:i] + string(c) + s[i+1:]
}

func TestJWTIdentity(t *testing.T) {
	f := newJWTFix(t)
	v := f.verifier(nil)
	tok := f.token(f.key, nil, map[string]any{ClaimRoles: []string{"user", "admin"}})
	id, err := v.Verify(context.Background(), Credential{Method: MethodJWT, Value: tok})
	if err != nil {
		t.Fatal(err)
	}
	wantExp := f.clock.Now().Add(600 * time.Second)
	if id.Subject != "alice" || id.Method != MethodJWT || !id.Expires.Equal(wantExp) || id.CredentialID != "jti-1" {
		t.Fatalf("identity = %+v", id)
	}
	if !id.HasRole("admin") || id.HasRole("Admin") || id.HasRole("adm") {
		t.Fatalf("roles must match exactly (C-17): %v", id.Roles)
	}
}

func TestJWTErrorsDoNotEchoInput(t *testing.T) {
	f := newJWTFix(t)
	v := f.verifier(nil)
	secret := "SECRETKIDVALUE"
	for _, tok := range []string{
		f.token(f.key, map[string]any{HeaderKID: secret}, nil),
		f.token(f.key, map[string]any{HeaderAlg: secret}, nil),
		f.token(f.key, map[string]any{HeaderTyp: secret}, nil),
	} {
		_, err := v.Verify(context.Background(), Credential{Value: tok})
		if err == nil || strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), tok[:20]) {
			t.Fatalf("error echoes input or accepts: %v", err)
		}
	}
}

func TestJWTConfigErrors(t *testing.T) {
	f := newJWTFix(t)
	rs := keyFromCache(AlgRS256).VerificationKey()
	tests := []struct {
		name string
		mod  func(*JWTConfig)
	}{
		{name: "no keys", mod: func(c *JWTConfig) { c.Keys = nil }},
		{name: "keys and jwks", mod: func(c *JWTConfig) { c.JWKS = &JWKSConfig{URL: "http://127.0.0.1:1"} }},
		{name: "no issuer", mod: func(c *JWTConfig) { c.Issuer = "" }},
		{name: "no audience", mod: func(c *JWTConfig) { c.Audiences = nil }},
		{name: "leeway too large", mod: func(c *JWTConfig) { c.Leeway = time.Hour }},
		{name: "short hmac secret", mod: func(c *JWTConfig) {
			c.Keys = []VerificationKey{{KID: "k", Alg: AlgHS256, Key: []byte("short")}}
		}},
		{name: "rsa key for hmac", mod: func(c *JWTConfig) {
			c.Keys = []VerificationKey{{KID: "k", Alg: AlgHS256, Key: rs.Key}}
		}},
		{name: "unsupported alg", mod: func(c *JWTConfig) { c.Keys = []VerificationKey{{KID: "k", Alg: "none"}} }},
		{name: "duplicate kid", mod: func(c *JWTConfig) { c.Keys = append(c.Keys, c.Keys[0]) }},
		{name: "bad kid", mod: func(c *JWTConfig) { rs.KID = "../x"; c.Keys = []VerificationKey{rs} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := f.config()
			tc.mod(&cfg)
			if _, err := NewJWT(cfg); err == nil {
				t.Fatal("NewJWT accepted an invalid configuration")
			}
		})
	}
}
