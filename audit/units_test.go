package audit

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestSeverity_TextRoundTrip(t *testing.T) {
	for s := SeverityNone; s <= SeverityCritical; s++ {
		b, _ := s.MarshalText()
		var got Severity
		if err := got.UnmarshalText(b); err != nil || got != s {
			t.Errorf("%s: round trip gave %s (%v)", s, got, err)
		}
	}
	var s Severity
	if err := s.UnmarshalText([]byte("apocalyptic")); err == nil {
		t.Error("unknown severity accepted")
	}
}

func TestRedactor_HidesSecretsAndClips(t *testing.T) {
	r := &redactor{}
	r.add("eyJsecret.token.value")
	r.add("x") // too short to redact
	tests := []struct{ name, in, want string }{
		{name: "secret in a frame", in: `40/admin,{"token":"eyJsecret.token.value"}`,
			want: `40/admin,{"token":"‹redacted›"}`},
		{name: "short values left", in: "x marks", want: "x marks"},
		{name: "long text clipped", in: strings.Repeat("a", 300), want: strings.Repeat("a", 200) + "…(300 bytes)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.text(tc.in); got != tc.want {
				t.Errorf("text = %q, want %q", got, tc.want)
			}
		})
	}
	if !r.contains("jwt eyJsecret.token.value rejected") {
		t.Error("contains missed an echoed secret")
	}
}

func TestVariants_SpellingsAndChild(t *testing.T) {
	got := []string{}
	for _, v := range variants("/admin") {
		got = append(got, v.id+" "+v.name)
	}
	want := []string{"F-09 /ADMIN", "F-09 /admin/", "F-09 //admin", "F-03 /admin/audit-child", "F-09 /Admin"}
	if !slices.Equal(got, want) {
		t.Errorf("variants = %q, want %q", got, want)
	}
	for _, v := range variants("/A") {
		if v.name == "/A" {
			t.Errorf("variant equal to the name itself: %+v", v)
		}
	}
}

func TestLeaks(t *testing.T) {
	tests := []struct {
		msg  string
		want bool
	}{
		{"unauthorized", false}, {"forbidden", false}, {"Invalid namespace", false},
		{"jwt expired", true}, {"invalid signature", true}, {"TokenExpiredError: jwt expired", true},
		{"at verify (auth.js:12:3)", true},
	}
	for _, tc := range tests {
		if got := leaks(tc.msg); got != tc.want {
			t.Errorf("leaks(%q) = %v, want %v", tc.msg, got, tc.want)
		}
	}
}

func TestConnectError_Shapes(t *testing.T) {
	tests := []struct{ data, msg, code string }{
		{`{"message":"unauthorized","data":{"code":"expired"}}`, "unauthorized", "expired"},
		{`{"message":"Invalid namespace"}`, "Invalid namespace", "Invalid namespace"},
		{`"Not authorized"`, "Not authorized", "Not authorized"},
	}
	for _, tc := range tests {
		msg, code := connectError([]byte(tc.data))
		if msg != tc.msg || code != tc.code {
			t.Errorf("connectError(%s) = %q, %q; want %q, %q", tc.data, msg, code, tc.msg, tc.code)
		}
	}
}

func TestPacketFrame(t *testing.T) {
	tests := []struct{ nsp, id, data, want string }{
		{"/", "", `{"token":"t"}`, `40{"token":"t"}`},
		{"/admin", "", "", "40/admin,"},
		{"/admin", "", "-5", "40/admin,-5"},
	}
	for _, tc := range tests {
		if got := string(connectFrame(tc.nsp, []byte(tc.data))); got != tc.want {
			t.Errorf("connectFrame(%q, %q) = %q, want %q", tc.nsp, tc.data, got, tc.want)
		}
	}
	if got := string(packetFrame('2', "/admin", "1", []byte(`["x"]`))); got != `42/admin,1["x"]` {
		t.Errorf("event frame %q", got)
	}
}

// TestReportWriters: the three renderings of one report agree on what was
// found, and the JSON reads back.
func TestReportWriters(t *testing.T) {
	crit := Check{Case: "F-01", Namespace: "/admin", Transport: WebSocket, Kind: "missing", Where: "auth",
		Title: "missing or bad credential", Expected: "reject", Verdict: VerdictFail,
		Severity: SeverityCritical, Finding: findBadAccepted,
		Evidence: []Frame{{Dir: DirSent, Text: "40/admin,"}, {Dir: DirReceived, Text: `40/admin,{"sid":"a"}`}}}
	info := Check{Case: "A-10", Namespace: "/", Transport: Polling, Verdict: VerdictFail,
		Severity: SeverityInfo, Finding: "trailing | bytes"}
	r := &Report{Target: "http://127.0.0.1:1", Checks: []Check{info, crit, {Case: "F-01", Verdict: VerdictPass}}}
	if r.Max() != SeverityCritical || r.Findings()[0].Case != "F-01" {
		t.Fatalf("max %s, first finding %s", r.Max(), r.Findings()[0].Case)
	}
	var text, md, js strings.Builder
	if err := WriteText(&text, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"1 passed, 2 failed", "critical 1", "CRITICAL F-01 /admin"} {
		if !strings.Contains(strings.Join(strings.Fields(text.String()), " "), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	for _, want := range []string{"| critical | F-01 | `/admin` |", `trailing \| bytes`, "→ 40/admin,"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	var back Report
	if err := json.Unmarshal([]byte(js.String()), &back); err != nil || back.Max() != SeverityCritical ||
		len(back.Checks) != 3 {
		t.Errorf("JSON round trip: %v, %d checks, max %s", err, len(back.Checks), back.Max())
	}
}
