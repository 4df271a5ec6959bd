package creds_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/verifiers"
)

const recordsCSV = `method,value,subject,roles,status
apikey,ext_key_alice,alice,admin user,valid
apikey,ext_key_bob,bob,user,valid
apikey,ext_key_old,carol,user,revoked
session,ext_sess_dave,dave,user,valid
session,ext_sess_gone,erin,admin,expired
`

const recordsJSONL = `{"method":"apikey","value":"ext_key_alice","subject":"alice","roles":["admin"],"status":"valid"}

{"method":"session","value":"ext_sess_gone","subject":"erin","roles":["admin"],"status":"expired"}
`

func TestLoadRecords(t *testing.T) {
	tests := []struct {
		name string
		file string
		body string
		len  int
		want error
		says string
	}{
		{name: "csv", file: "r.csv", body: recordsCSV, len: 5},
		{name: "jsonl with a blank line", file: "r.jsonl", body: recordsJSONL, len: 2},
		{name: "csv without header", file: "r.csv", body: "apikey,k,s,,valid\n", want: creds.ErrRecords,
			says: "header"},
		{name: "csv bad status", file: "r.csv", body: "method,value,subject,roles,status\n" +
			"apikey,k,s,,valid\napikey,k2,s,,lost\n", want: creds.ErrRecords, says: ":3:"},
		{name: "jsonl unknown field", file: "r.jsonl",
			body: `{"method":"apikey","value":"k","subject":"s","status":"valid","secret":1}`,
			want: creds.ErrRecords, says: ":1:"},
		{name: "jsonl bad method", file: "r.jsonl",
			body: `{"method":"jwt","value":"k","subject":"s","status":"valid"}`, want: creds.ErrRecords,
			says: "method"},
		{name: "missing file", file: "", want: creds.ErrRecords},
		{name: "jsonl line too long names its line", file: "r.jsonl",
			body: recordsJSONL + strings.Repeat("x", 2<<20) + "\n", want: creds.ErrRecords, says: "r.jsonl:4:"},
		{name: "csv quote left open names its line", file: "r.csv",
			body: "method,value,subject,roles,status\napikey,\"k,s,,valid\n", want: creds.ErrRecords,
			says: "r.csv:2:"},
		{name: "binary garbage", file: "r.csv", body: "\x00\xff\xfe garbage\n", want: creds.ErrRecords,
			says: "r.csv:1:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "/nonexistent/records.csv"
			if tt.file != "" {
				path = writeTemp(t, tt.file, tt.body)
			}
			recs, err := creds.LoadRecords(path)
			if tt.want == nil {
				if err != nil || recs.Len() != tt.len {
					t.Fatalf("LoadRecords: %v, %d records, want %d", err, recs.Len(), tt.len)
				}
				return
			}
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("err = %v, want %v saying %q", err, tt.want, tt.says)
			}
		})
	}
}

// TestMintExternal: API keys and sessions come from the records, by status
// and roles; JWTs are signed with the scenario's key; what cannot be minted
// is an error naming the kind.
func TestMintExternal(t *testing.T) {
	recs, err := creds.LoadRecords(writeTemp(t, "r.csv", recordsCSV))
	if err != nil {
		t.Fatal(err)
	}
	cfg := creds.Config{Keys: []*verifiers.SigningKey{testKeys(t)[verifiers.AlgES256]},
		Issuer: testIssuer, Audience: testAudience, Records: recs}
	tests := []struct {
		name    string
		spec    creds.Spec
		values  []string // the values it may draw, "" for any
		subject string   // prefix of every subject drawn
		want    error
	}{
		{name: "valid apikey with admin", spec: creds.Spec{Kind: "apikey", Roles: []string{"admin"}},
			values: []string{"ext_key_alice"}, subject: "alice"},
		{name: "valid apikey with user", spec: creds.Spec{Kind: "apikey", Roles: []string{"user"}},
			values: []string{"ext_key_alice", "ext_key_bob"}},
		{name: "revoked apikey", spec: creds.Spec{Kind: "apikey-revoked"}, values: []string{"ext_key_old"},
			subject: "carol"},
		{name: "expired session", spec: creds.Spec{Kind: "session-expired"},
			values: []string{"ext_sess_gone"}, subject: "erin"},
		{name: "valid session", spec: creds.Spec{Kind: "session", Source: verifiers.SourceCookie},
			values: []string{"ext_sess_dave"}, subject: "dave"},
		{name: "unknown apikey needs no record", spec: creds.Spec{Kind: "apikey-unknown"}},
		{name: "jwt signed with the scenario key", spec: creds.Spec{Kind: "jwt-es256"},
			subject: "user-00000"},
		{name: "no session holds admin", spec: creds.Spec{Kind: "session", Roles: []string{"admin"}},
			want: creds.ErrNoMaterial},
		{name: "no expired apikey record", spec: creds.Spec{Kind: "apikey-expired"},
			want: creds.ErrNoMaterial},
		{name: "revoked jwt needs the embedded denylist", spec: creds.Spec{Kind: "jwt-revoked"},
			want: creds.ErrNoMaterial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := creds.Mint(t.Context(), cfg, creds.Plan{Identities: 4, Handshakes: 8,
				Reuse: creds.Reuse{Pattern: creds.ReuseUniform}, Mix: []creds.Spec{tt.spec}})
			if tt.want != nil {
				if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.spec.Kind) {
					t.Fatalf("err = %v, want %v naming %s", err, tt.want, tt.spec.Kind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for i := range set.Len() {
				c := set.At(i)
				if tt.values != nil && !contains(tt.values, c.Value) || c.Value == "" {
					t.Errorf("value %q, want one of %q", c.Value, tt.values)
				}
				if !strings.HasPrefix(c.Subject, tt.subject) {
					t.Errorf("subject %q, want %q…", c.Subject, tt.subject)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
