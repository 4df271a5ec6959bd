package capacity

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestResidentFromText(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		want    uint64
		wantErr bool
	}{
		{name: "prometheus float", text: "# HELP process_resident_memory_bytes x\n" +
			"process_resident_memory_bytes_total 1\nprocess_resident_memory_bytes 2.4576e+07\n", want: 24576000},
		{name: "plain integer", text: "go_goroutines 8\nprocess_resident_memory_bytes 1048576\n", want: 1 << 20},
		{name: "absent", text: "go_goroutines 8\n", wantErr: true},
		{name: "not a number", text: "process_resident_memory_bytes lots\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := residentFromText(bufio.NewScanner(strings.NewReader(tt.text)))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("got %d, %v; want %d, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestMetricsRSS(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		want    uint64
		wantErr bool
	}{
		{name: "ok", status: http.StatusOK, body: "process_resident_memory_bytes 4096\n", want: 4096},
		{name: "server error", status: http.StatusInternalServerError, body: "oops", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			m := MetricsRSS{URL: srv.URL + "/metrics"}
			got, err := m.Resident(context.Background())
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("got %d, %v; want %d, error %v", got, err, tt.want, tt.wantErr)
			}
			if !strings.Contains(m.Describe(), srv.URL) {
				t.Errorf("Describe() = %q, want the URL", m.Describe())
			}
		})
	}
}

func TestProcessRSSGrowsWithHeldMemory(t *testing.T) {
	var p ProcessRSS
	before, err := p.Resident(context.Background())
	if err != nil || before == 0 {
		t.Fatalf("Resident = %d, %v", before, err)
	}
	held := make([]byte, 64<<20)
	for i := range held {
		held[i] = byte(i)
	}
	after, err := p.Resident(context.Background())
	if err != nil || after < before+32<<20 {
		t.Errorf("after touching 64 MiB: %d -> %d (%v), want at least 32 MiB more", before, after, err)
	}
	_ = held[len(held)-1]
}
