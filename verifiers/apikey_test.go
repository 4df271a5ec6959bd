package verifiers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"
)

type apiKeyFix struct {
	t     *testing.T
	clock *fakeClock
	store KeyStore
	key   string
	rec   APIKeyRecord
}

func newAPIKeyFix(t *testing.T) *apiKeyFix { return newAPIKeyFixOn(t, memoryBackend) }

// newAPIKeyFixOn makes the fixture over b's key store.
func newAPIKeyFixOn(t *testing.T, b backend) *apiKeyFix {
	f := &apiKeyFix{t: t, clock: newFakeClock()}
	f.store = b.keys(t, f.clock.Now)
	f.key, f.rec = f.create(APIKeySpec{Env: "live", Subject: "svc-a", Roles: []string{"user"},
		Namespaces: []string{"/"}, Expires: f.clock.Now().Add(time.Hour)})
	return f
}

func (f *apiKeyFix) create(spec APIKeySpec) (string, APIKeyRecord) {
	f.t.Helper()
	key, rec, err := NewAPIKey(context.Background(), f.store, spec)
	if err != nil {
		f.t.Fatalf("NewAPIKey: %v", err)
	}
	return key, rec
}

func (f *apiKeyFix) verifier() *APIKeyVerifier {
	v, err := NewAPIKeyVerifier(f.store, APIKeyOptions{Env: "live", Clock: f.clock.Now})
	if err != nil {
		f.t.Fatalf("NewAPIKeyVerifier: %v", err)
	}
	return v
}

func TestAPIKeyDecisions(t *testing.T) {
	parts := func(k string) []string { return strings.Split(k, "_") }
	tests := []struct {
		kind   string
		id     string
		value  func(f *apiKeyFix) string
		source Source
		want   Reason
	}{
		{kind: "good_key", id: "OK", value: func(f *apiKeyFix) string { return f.key }},
		{kind: "missing", id: "A-01", value: func(*apiKeyFix) string { return "" }, want: ReasonMissing},
		{kind: "whitespace_only", id: "A-03", value: func(*apiKeyFix) string { return " " }, want: ReasonMalformed},
		{kind: "scheme_prefix_left_in", id: "A-03", value: func(f *apiKeyFix) string { return "ApiKey " + f.key },
			want: ReasonMalformed},
		{kind: "oversize", id: "A-13", value: func(*apiKeyFix) string { return strings.Repeat("a", 900<<10) },
			want: ReasonTooLarge},
		{kind: "control_chars", id: "A-15", value: func(f *apiKeyFix) string { return f.key + "\r\n" },
			want: ReasonMalformed},
		{kind: "unknown_key", id: "D-01", value: func(f *apiKeyFix) string {
			other, _, _ := NewAPIKey(context.Background(), NewMemoryKeyStore(), APIKeySpec{Env: "live", Subject: "x"})
			return other
		}, want: ReasonUnknown},
		{kind: "revoked_key", id: "D-02", value: func(f *apiKeyFix) string {
			if err := f.store.Revoke(context.Background(), f.rec.ID); err != nil {
				f.t.Fatal(err)
			}
			return f.key
		}, want: ReasonRevoked},
		{kind: "expired_key", id: "D-02", value: func(f *apiKeyFix) string {
			f.clock.Advance(time.Hour)
			return f.key
		}, want: ReasonExpired},
		{kind: "other_class_prefix", id: "D-03", value: func(f *apiKeyFix) string { return "pk" + f.key[3:] },
			want: ReasonMalformed},
		{kind: "other_environment", id: "D-03", value: func(f *apiKeyFix) string {
			k, _ := f.create(APIKeySpec{Env: "test", Subject: "svc-a"})
			return k
		}, want: ReasonUnknown},
		{kind: "secret_without_prefix", id: "D-03", value: func(f *apiKeyFix) string { return parts(f.key)[3] },
			want: ReasonMalformed},
		{kind: "right_id_wrong_secret", id: "D-04", value: func(f *apiKeyFix) string {
			p := parts(f.key)
			p[3] = strings.Repeat("a", len(p[3]))
			return strings.Join(p, "_")
		}, want: ReasonUnknown},
		{kind: "truncated", id: "D-04", value: func(f *apiKeyFix) string { return f.key[:len(f.key)-1] },
			want: ReasonMalformed},
		{kind: "extra_suffix", id: "D-04", value: func(f *apiKeyFix) string { return f.key + "a" },
			want: ReasonMalformed},
		{kind: "case_changed", id: "D-04", value: func(f *apiKeyFix) string { return strings.ToUpper(f.key) },
			want: ReasonMalformed},
		{kind: "hex_variant", id: "D-04", value: func(f *apiKeyFix) string {
			p := parts(f.key)
			sum := sha256.Sum256([]byte(p[3]))
			p[3] = hex.EncodeToString(sum[:])[:len(p[3])]
			return strings.Join(p, "_")
		}, want: ReasonMalformed},
		{kind: "key_in_query_refused", id: "D-07", value: func(f *apiKeyFix) string { return f.key },
			source: SourceQuery, want: ReasonForbidden},
	}
	forEachBackend(t, func(t *testing.T, b backend) {
		for _, tc := range tests {
			for _, m := range modes {
				t.Run(tc.id+"_"+tc.kind+"/"+m.name, func(t *testing.T) {
					f := newAPIKeyFixOn(t, b)
					v := m.wrap(t, f.verifier(), f.clock.Now)
					src := tc.source
					if src == "" {
						src = SourceAuth
					}
					cred := Credential{Method: MethodAPIKey, Source: src, Value: tc.value(f)}
					expectDecision(t, v, cred, tc.want)
				})
			}
		}
	})
}

func TestAPIKeyIdentityAndStorage(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newAPIKeyFixOn(t, b)
		id, err := f.verifier().Verify(context.Background(), Credential{Value: f.key})
		if err != nil {
			t.Fatal(err)
		}
		if id.Subject != "svc-a" || id.CredentialID != f.rec.ID || id.Method != MethodAPIKey ||
			len(id.Namespaces) != 1 || id.Namespaces[0] != "/" || !id.Expires.Equal(f.rec.Expires) {
			t.Fatalf("identity = %+v", id)
		}
		if strings.Contains(id.CredentialID, strings.Split(f.key, "_")[3]) {
			t.Fatal("credential id contains the secret")
		}
		stored, _ := f.store.Get(context.Background(), f.rec.ID)
		if stored.Digest != sha256.Sum256([]byte(f.key)) {
			t.Fatal("store does not hold the SHA-256 digest of the key")
		}
		if !strings.HasPrefix(f.key, "gck_live_") || len(f.key) != len("gck_live_")+apiKeyIDLen+1+apiKeySecretLen {
			t.Fatalf("unexpected key format: %d bytes", len(f.key))
		}
	})
}

func TestAPIKeyStoreErrorsFailClosed(t *testing.T) {
	f := newAPIKeyFix(t)
	v, _ := NewAPIKeyVerifier(failingKeyStore{}, APIKeyOptions{Env: "live"})
	_, err := v.Verify(context.Background(), Credential{Value: f.key})
	if ReasonOf(err) != ReasonUnavailable {
		t.Fatalf("reason %q, want unavailable", ReasonOf(err))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = v.Verify(ctx, Credential{Value: f.key})
	if ReasonOf(err) != ReasonUnavailable {
		t.Fatalf("cancelled: reason %q, want unavailable", ReasonOf(err))
	}
}

type failingKeyStore struct{}

func (failingKeyStore) Put(context.Context, APIKeyRecord) error { return errStoreDown }
func (failingKeyStore) Get(context.Context, string) (APIKeyRecord, error) {
	return APIKeyRecord{}, errStoreDown
}
func (failingKeyStore) Revoke(context.Context, string) error { return errStoreDown }

var errStoreDown = &storeDownError{}

type storeDownError struct{}

func (*storeDownError) Error() string { return "store down" }

// TestAPIKeyID: the id of a whole key is its lookup id, the one its record
// is stored under; anything not of the exact format is malformed.
func TestAPIKeyID(t *testing.T) {
	key, rec, err := NewAPIKey(context.Background(), NewMemoryKeyStore(), APIKeySpec{Env: "live", Subject: "svc"})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(key, "_")
	tests := []struct {
		name   string
		key    string
		wantID string // "" means malformed
	}{
		{name: "generated key", key: key, wantID: rec.ID},
		{name: "empty", key: ""},
		{name: "bare id", key: rec.ID},
		{name: "wrong prefix", key: "gcx_" + strings.Join(parts[1:], "_")},
		{name: "short secret", key: key[:len(key)-1]},
		{name: "upper case id", key: strings.Join([]string{parts[0], parts[1], strings.ToUpper(parts[2]),
			parts[3]}, "_")},
		{name: "extra part", key: key + "_x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := APIKeyID(tc.key)
			switch {
			case tc.wantID != "" && (err != nil || id != tc.wantID):
				t.Fatalf("APIKeyID = %q, %v; want %q", id, err, tc.wantID)
			case tc.wantID == "" && !errors.Is(err, ReasonMalformed):
				t.Fatalf("APIKeyID = %q, %v; want ReasonMalformed", id, err)
			}
		})
	}
}
