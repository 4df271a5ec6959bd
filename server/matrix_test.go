package server

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/gatecrash/gatecrash/server/internal/rawio"
)

// want is the expected answer on each default namespace: "ok" for ACCEPT,
// otherwise the CONNECT_ERROR data.code.
type want struct{ root, admin, api string }

// TestMatrix_F01_G04 is the per-namespace enforcement matrix (CASES.md F-01)
// over both transports (G-04): every namespace of the default policy ×
// {no credential, each bad kind, each good kind} for every method and
// source.
func TestMatrix_F01_G04(t *testing.T) {
	cases := []struct {
		name   string
		auth   string      // CONNECT auth payload, sent to every namespace
		header http.Header // handshake headers
		query  url.Values  // handshake query
		want   want
	}{
		{name: "A-01 no credential", want: want{"missing", "missing", "missing"}},
		{name: "A-01 empty object", auth: `{}`, want: want{"missing", "missing", "missing"}},
		{name: "A-02 empty token", auth: `{"token":""}`, want: want{"malformed", "malformed", "malformed"}},
		{name: "A-03 blank token", auth: `{"token":" "}`, want: want{"malformed", "malformed", "malformed"}},
		{name: "A-04 number token", auth: `{"token":123}`, want: want{"malformed", "malformed", "malformed"}},
		{name: "A-04 array token", auth: `{"token":["jwt-admin"]}`, want: want{"malformed", "malformed", "malformed"}},
		{name: "A-05 other key", auth: `{"Token":"jwt-admin","access_token":"jwt-admin"}`,
			want: want{"missing", "missing", "missing"}},
		{name: "A-08 null auth", auth: `null`, want: want{"missing", "missing", "missing"}},
		{name: "jwt user", auth: `{"token":"jwt-user"}`, want: want{"ok", "forbidden", "ok"}},
		{name: "jwt admin", auth: `{"token":"jwt-admin"}`, want: want{"ok", "ok", "ok"}},
		{name: "jwt expired", auth: `{"token":"jwt-expired"}`, want: want{"expired", "expired", "expired"}},
		{name: "jwt bad signature", auth: `{"token":"jwt-bad"}`,
			want: want{"bad_signature", "bad_signature", "bad_signature"}},
		{name: "apikey good", auth: `{"apiKey":"key-good"}`, want: want{"forbidden", "forbidden", "ok"}},
		{name: "apikey revoked", auth: `{"apiKey":"key-revoked"}`, want: want{"forbidden", "forbidden", "revoked"}},
		{name: "apikey unknown", auth: `{"apiKey":"key-nope"}`, want: want{"forbidden", "forbidden", "bad_signature"}},
		{name: "session auth user", auth: `{"sessionId":"sess-user"}`, want: want{"ok", "forbidden", "forbidden"}},
		{name: "session cookie user", header: http.Header{"Cookie": {sessionCookie + "=sess-user"}},
			want: want{"ok", "forbidden", "missing"}},
		{name: "session cookie admin", header: http.Header{"Cookie": {sessionCookie + "=sess-admin"}},
			want: want{"ok", "ok", "missing"}},
		{name: "E-01 session cookie unknown", header: http.Header{"Cookie": {sessionCookie + "=sess-unknown"}},
			want: want{"unknown", "unknown", "missing"}},
		{name: "header bearer user", header: http.Header{"Authorization": {"Bearer jwt-user"}},
			want: want{"ok", "forbidden", "ok"}},
		{name: "A-03 header bearer lower case", header: http.Header{"Authorization": {"bearer jwt-admin"}},
			want: want{"ok", "ok", "ok"}},
		{name: "A-03 header bearer empty", header: http.Header{"Authorization": {"Bearer "}},
			want: want{"malformed", "malformed", "malformed"}},
		{name: "A-03 header bearer two spaces", header: http.Header{"Authorization": {"Bearer  jwt-admin"}},
			want: want{"malformed", "malformed", "malformed"}},
		{name: "header apikey", header: http.Header{"Authorization": {"ApiKey key-good"}},
			want: want{"missing", "missing", "ok"}},
		{name: "header x-api-key", header: http.Header{"X-Api-Key": {"key-good"}},
			want: want{"missing", "missing", "ok"}},
		{name: "header other scheme ignored", header: http.Header{"Authorization": {"Basic dXNlcjpwdw=="}},
			want: want{"missing", "missing", "missing"}},
		{name: "A-12 good header bad auth", auth: `{"token":"jwt-bad"}`,
			header: http.Header{"Authorization": {"Bearer jwt-admin"}},
			want:   want{"bad_signature", "bad_signature", "bad_signature"}},
		{name: "A-12 bad header good auth", auth: `{"token":"jwt-admin"}`,
			header: http.Header{"Authorization": {"Bearer jwt-bad"}},
			want:   want{"bad_signature", "bad_signature", "bad_signature"}},
		{name: "A-12 good jwt revoked key", auth: `{"token":"jwt-admin"}`,
			header: http.Header{"X-Api-Key": {"key-revoked"}},
			want:   want{"ok", "ok", "revoked"}},
		{name: "A-12 two subjects", auth: `{"token":"jwt-admin"}`,
			header: http.Header{"Authorization": {"Bearer jwt-user"}},
			want:   want{"conflict", "conflict", "conflict"}},
		{name: "E-09 session auth and cookie disagree", auth: `{"sessionId":"sess-admin"}`,
			header: http.Header{"Cookie": {sessionCookie + "=sess-user"}},
			want:   want{"conflict", "conflict", "forbidden"}},
		{name: "G-05 query not allowed", query: url.Values{"token": {"jwt-admin"}, "api_key": {"key-good"}},
			want: want{"missing", "missing", "missing"}},
	}
	s := start(t, Config{})
	for _, tr := range transports {
		for _, tc := range cases {
			t.Run(string(tr)+"/"+tc.name, func(t *testing.T) {
				c, err := rawio.Dial(testCtx(t), s.URL(),
					rawio.Options{Transport: tr, Header: tc.header, Query: tc.query})
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				for nsp, w := range map[string]string{"/": tc.want.root, "/admin": tc.want.admin, "/api": tc.want.api} {
					checkAnswer(t, c, nsp, tc.auth, w)
				}
			})
		}
	}
}

// checkAnswer connects c to nsp with auth and compares the answer with w.
func checkAnswer(t *testing.T, c *rawio.Conn, nsp, auth, w string) {
	t.Helper()
	a, err := c.Connect(testCtx(t), nsp, auth)
	if err != nil {
		t.Fatalf("%s: connect: %v", nsp, err)
	}
	switch {
	case w == "ok" && !a.Accepted:
		t.Errorf("%s: rejected (%s %s), want accepted", nsp, a.Message, a.Code)
	case w != "ok" && a.Accepted:
		t.Errorf("%s: accepted, want rejected with %s", nsp, w)
	case w != "ok" && a.Code != w:
		t.Errorf("%s: code %q, want %q (%s)", nsp, a.Code, w, a.Raw)
	case w != "ok" && a.Message != rejectMessage(reasonFor(w)):
		t.Errorf("%s: message %q, want generic %q", nsp, a.Message, rejectMessage(reasonFor(w)))
	}
}
