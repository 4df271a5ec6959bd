package admin_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gatecrash/gatecrash/internal/admin"
	"github.com/gatecrash/gatecrash/verifiers"
)

// fakeRevoker knows one API key, "k1", and fails with ErrUnavailable for
// "down".
type fakeRevoker struct{ got []admin.Request }

func (f *fakeRevoker) Revoke(_ context.Context, req admin.Request) (admin.Response, error) {
	f.got = append(f.got, req)
	switch req.ID {
	case "k1":
		return admin.Response{Kind: req.Kind, CredentialID: req.ID, Disconnected: 2}, nil
	case "down":
		return admin.Response{}, fmt.Errorf("redis: %w", admin.ErrUnavailable)
	}
	return admin.Response{}, fmt.Errorf("store: %w", admin.ErrNotFound)
}

// TestRevoke_ClientAndHandler: the client's requests reach the revoker and
// its answers and failures come back as the same sentinels.
func TestRevoke_ClientAndHandler(t *testing.T) {
	f := &fakeRevoker{}
	srv := httptest.NewServer(admin.NewHandler(f))
	t.Cleanup(srv.Close)
	until := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		req     admin.Request
		want    int // Disconnected
		wantErr error
	}{
		{name: "revoked", req: admin.Request{Kind: verifiers.MethodAPIKey, ID: "k1"}, want: 2},
		{name: "jwt with until", req: admin.Request{Kind: verifiers.MethodJWT, ID: "k1", Until: until}, want: 2},
		{name: "unknown credential", req: admin.Request{Kind: verifiers.MethodAPIKey, ID: "nope"},
			wantErr: admin.ErrNotFound},
		{name: "store down", req: admin.Request{Kind: verifiers.MethodSession, ID: "down"},
			wantErr: admin.ErrUnavailable},
		{name: "unknown kind", req: admin.Request{Kind: "password", ID: "k1"}, wantErr: admin.ErrBadRequest},
		{name: "no id", req: admin.Request{Kind: verifiers.MethodJWT}, wantErr: admin.ErrBadRequest},
		{name: "until on a key", req: admin.Request{Kind: verifiers.MethodAPIKey, ID: "k1", Until: until},
			wantErr: admin.ErrBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := admin.Revoke(context.Background(), srv.Client(), srv.URL+"/", tt.req)
			if !errors.Is(err, tt.wantErr) || (err != nil) != (tt.wantErr != nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil && strings.Count(err.Error(), tt.wantErr.Error()) != 1 {
				t.Errorf("err %q should name %q once", err, tt.wantErr)
			}
			if err == nil && (resp.Disconnected != tt.want || resp.CredentialID != tt.req.ID) {
				t.Errorf("response = %+v", resp)
			}
		})
	}
	if last := f.got[len(f.got)-1]; !last.Until.IsZero() && !last.Until.Equal(until) {
		t.Errorf("until arrived as %v", last.Until)
	}
}

// TestHandler_RefusesBrowserRequests: a request with an Origin, a form
// content type, another method or unknown fields never reaches the revoker.
func TestHandler_RefusesBrowserRequests(t *testing.T) {
	f := &fakeRevoker{}
	srv := httptest.NewServer(admin.NewHandler(f))
	t.Cleanup(srv.Close)
	body := `{"kind":"apikey","id":"k1"}`
	tests := []struct {
		name, method, ctype, origin, body string
		want                              int
	}{
		{name: "accepted", method: "POST", ctype: "application/json", body: body, want: 200},
		{name: "with origin", method: "POST", ctype: "application/json", origin: "http://evil.test",
			body: body, want: 403},
		{name: "form post", method: "POST", ctype: "application/x-www-form-urlencoded", body: body, want: 415},
		{name: "text post", method: "POST", ctype: "text/plain", body: body, want: 415},
		{name: "get", method: "GET", ctype: "application/json", want: 405},
		{name: "unknown field", method: "POST", ctype: "application/json",
			body: `{"kind":"apikey","id":"k1","all":true}`, want: 400},
		{name: "oversized", method: "POST", ctype: "application/json",
			body: `{"kind":"apikey","id":"` + strings.Repeat("x", 8<<10) + `"}`, want: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := len(f.got)
			req, err := http.NewRequest(tt.method, srv.URL+admin.RevokePath, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", tt.ctype)
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tt.want {
				t.Errorf("status = %d, want %d", res.StatusCode, tt.want)
			}
			if reached := len(f.got) > n; reached != (tt.want == 200) {
				t.Errorf("revoker reached = %v", reached)
			}
		})
	}
}
