package loadgen

import (
	"net/http"
	"testing"
)

func TestWithCookies(t *testing.T) {
	set := []*http.Cookie{{Name: "bind", Value: "s1"}}
	tests := []struct {
		name    string
		header  http.Header
		cookies []*http.Cookie
		want    string
	}{
		{name: "none set", header: http.Header{"Cookie": {"sid=a"}}, want: "sid=a"},
		{name: "nil header", cookies: set, want: "bind=s1"},
		{name: "merged", header: http.Header{"Cookie": {"sid=a"}}, cookies: set, want: "sid=a; bind=s1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before string
			if tt.header != nil {
				before = tt.header.Get("Cookie")
			}
			got := withCookies(tt.header, tt.cookies)
			if got.Get("Cookie") != tt.want {
				t.Fatalf("Cookie = %q, want %q", got.Get("Cookie"), tt.want)
			}
			if tt.header != nil && tt.header.Get("Cookie") != before {
				t.Fatal("the caller's header was changed")
			}
		})
	}
}
