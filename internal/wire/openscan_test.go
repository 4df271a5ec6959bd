package wire

import (
	"encoding/json"
	"reflect"
	"testing"
)

// openSeeds are open packets' JSON: what Node's engine.io and the reference
// server send (the plain path), and spellings only encoding/json decides.
var openSeeds = []struct {
	name  string
	in    string
	plain bool
}{
	{name: "node engine.io", plain: true, in: `{"sid":"Xj2-_aB9cD0eF1gH2iJ3","upgrades":[],` +
		`"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`},
	{name: "polling offers websocket", plain: true,
		in: `{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`},
	{name: "other key order", plain: true, in: `{"maxPayload":1,"pingTimeout":2,"pingInterval":3,"sid":"s"}`},
	{name: "empty object", plain: true, in: `{}`},
	{name: "zero", plain: true, in: `{"pingInterval":0}`},
	{name: "unknown key", in: `{"sid":"a","extra":1}`},
	{name: "duplicate key", in: `{"sid":"a","sid":"b"}`},
	{name: "key case", in: `{"SID":"a"}`},
	{name: "escaped string", in: `{"sid":"a\u0062"}`},
	{name: "whitespace", in: `{ "sid": "a" }`},
	{name: "null", in: `{"sid":null}`},
	{name: "negative", in: `{"pingInterval":-1}`},
	{name: "float", in: `{"pingInterval":1.5}`},
	{name: "exponent", in: `{"pingInterval":1e3}`},
	{name: "leading zero", in: `{"pingInterval":01}`},
	{name: "huge", in: `{"maxPayload":99999999999999999999}`},
	{name: "trailing comma", in: `{"sid":"a",}`},
	{name: "trailing bytes", in: `{"sid":"a"}x`},
	{name: "non-ASCII", in: "{\"sid\":\"\xc3\xa9\"}"},
	{name: "string for number", in: `{"pingInterval":"1"}`},
}

// TestScanOpenAgreesWithEncodingJSON: the plain path takes what servers
// send, leaves every other spelling to encoding/json, and never decodes
// differently from it.
func TestScanOpenAgreesWithEncodingJSON(t *testing.T) {
	for _, tc := range openSeeds {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := scanOpen([]byte(tc.in))
			if ok != tc.plain {
				t.Fatalf("scanOpen(%s) plain = %v, want %v", tc.in, ok, tc.plain)
			}
			if ok {
				checkSameAsJSON(t, []byte(tc.in), got)
			}
		})
	}
}

// FuzzScanOpen: whatever the plain path accepts, encoding/json accepts and
// decodes to the same Open.
func FuzzScanOpen(f *testing.F) {
	for _, tc := range openSeeds {
		f.Add([]byte(tc.in))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, ok := scanOpen(b); ok {
			checkSameAsJSON(t, b, got)
		}
	})
}

func checkSameAsJSON(t *testing.T, b []byte, got Open) {
	t.Helper()
	var want Open
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("plain path accepted %q, encoding/json refuses it: %v", b, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: plain path %+v, encoding/json %+v", b, got, want)
	}
}
