package wire

import (
	"bytes"
	"errors"
	"testing"
)

func TestParsePacket(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Packet
		wantErr bool
	}{
		{name: "connect main no data", in: "0", want: Packet{Type: Connect, Namespace: "/", ID: NoID}},
		{name: "connect main auth", in: `0{"token":"x"}`,
			want: Packet{Type: Connect, Namespace: "/", ID: NoID, Data: []byte(`{"token":"x"}`)}},
		{name: "connect ns sid", in: `0/admin,{"sid":"a"}`,
			want: Packet{Type: Connect, Namespace: "/admin", ID: NoID, Data: []byte(`{"sid":"a"}`)}},
		{name: "connect error no data", in: "4/admin,",
			want: Packet{Type: ConnectError, Namespace: "/admin", ID: NoID}},
		{name: "connect error string", in: `4"bad"`,
			want: Packet{Type: ConnectError, Namespace: "/", ID: NoID, Data: []byte(`"bad"`)}},
		{name: "disconnect ns without comma", in: "1/admin",
			want: Packet{Type: Disconnect, Namespace: "/admin", ID: NoID}},
		{name: "event with id", in: `2/api,12["whoami"]`,
			want: Packet{Type: Event, Namespace: "/api", ID: 12, Data: []byte(`["whoami"]`)}},
		{name: "ack", in: `37[{"sub":"u1"}]`,
			want: Packet{Type: Ack, Namespace: "/", ID: 7, Data: []byte(`[{"sub":"u1"}]`)}},
		{name: "binary event header", in: `51-["up",{"_placeholder":true,"num":0}]`,
			want: Packet{Type: BinaryEvent, Namespace: "/", ID: NoID, Attachments: 1,
				Data: []byte(`["up",{"_placeholder":true,"num":0}]`)}},
		{name: "empty", in: "", wantErr: true},
		{name: "bad type", in: "9", wantErr: true},
		{name: "garbage", in: "\x00\xff", wantErr: true},
		{name: "connect array auth", in: `0["good"]`, wantErr: true},
		{name: "connect trailing garbage", in: `0{"a":1}xyz`, wantErr: true},
		{name: "event not array", in: `2{"a":1}`, wantErr: true},
		{name: "event without name", in: `2[1,2]`, wantErr: true},
		{name: "event empty array", in: `2[]`, wantErr: true},
		{name: "ack not array", in: `31"x"`, wantErr: true},
		{name: "ack no data", in: `31`, wantErr: true},
		{name: "disconnect with data", in: `1{"a":1}`, wantErr: true},
		{name: "binary without dash", in: `51["x"]`, wantErr: true},
		{name: "id too long", in: `21234567890123456789012["x"]`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePacket([]byte(tt.in))
			if tt.wantErr {
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("ParsePacket(%q) err = %v, want ErrMalformed", tt.in, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParsePacket(%q): %v", tt.in, err)
			}
			if got.Type != tt.want.Type || got.Namespace != tt.want.Namespace ||
				got.ID != tt.want.ID || got.Attachments != tt.want.Attachments ||
				!bytes.Equal(got.Data, tt.want.Data) {
				t.Fatalf("ParsePacket(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestAppendMessage(t *testing.T) {
	tests := []struct {
		name string
		p    Packet
		want string
	}{
		{name: "connect main", p: Packet{Type: Connect, ID: NoID}, want: "40"},
		{name: "connect ns auth", p: Packet{Type: Connect, Namespace: "/admin", ID: NoID,
			Data: []byte(`{"token":"t"}`)}, want: `40/admin,{"token":"t"}`},
		{name: "event ack id", p: Packet{Type: Event, Namespace: "/api", ID: 3,
			Data: []byte(`["whoami"]`)}, want: `42/api,3["whoami"]`},
		{name: "binary", p: Packet{Type: BinaryEvent, ID: NoID, Attachments: 2,
			Data: []byte(`["x"]`)}, want: `452-["x"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(AppendMessage(nil, tt.p)); got != tt.want {
				t.Fatalf("AppendMessage = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseOpen(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantSID string
		wantErr bool
	}{
		{name: "good", in: `0{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,` +
			`"pingTimeout":20000,"maxPayload":1000000}`, wantSID: "abc"},
		{name: "no sid", in: `0{"pingInterval":1}`, wantErr: true},
		{name: "not open", in: `40`, wantErr: true},
		{name: "bad json", in: `0{`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := ParseOpen([]byte(tt.in))
			if tt.wantErr != (err != nil) || o.SID != tt.wantSID {
				t.Fatalf("ParseOpen(%q) = %+v, %v", tt.in, o, err)
			}
		})
	}
}

func TestSplitPayload(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		limit   int
		want    int
		wantErr bool
	}{
		{name: "one", in: "0{}", limit: 4, want: 1},
		{name: "three", in: "2\x1e40\x1e6", limit: 4, want: 3},
		{name: "over limit", in: "2\x1e2\x1e2", limit: 2, wantErr: true},
		{name: "empty packet", in: "2\x1e\x1e2", limit: 4, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SplitPayload([]byte(tt.in), tt.limit)
			if tt.wantErr != (err != nil) || len(got) != tt.want {
				t.Fatalf("SplitPayload(%q) = %d packets, %v", tt.in, len(got), err)
			}
		})
	}
}

// FuzzParsePacket checks that parsing never panics and that a parsed packet
// re-encodes to a frame that parses to the same packet.
func FuzzParsePacket(f *testing.F) {
	for _, s := range []string{"0", `0/admin,{"a":1}`, `2/x,5["e",1]`, `3[]`, "4", `51-["a"]`, "1/a,"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePacket(b)
		if err != nil {
			return
		}
		frame := AppendMessage(nil, p)
		q, err := ParsePacket(frame[1:])
		if err != nil {
			t.Fatalf("re-encoded %q as %q, which fails: %v", b, frame, err)
		}
		if q.Type != p.Type || q.Namespace != p.Namespace || q.ID != p.ID || !bytes.Equal(q.Data, p.Data) {
			t.Fatalf("round trip of %q: %+v != %+v", b, q, p)
		}
	})
}
