package creds

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gatecrash/gatecrash/verifiers"
)

// Status is the state of an externally issued credential.
type Status string

// The record statuses.
const (
	StatusValid   Status = "valid"
	StatusRevoked Status = "revoked"
	StatusExpired Status = "expired"
)

// Record is one API key or session issued by the target's own identity
// provider, for external mode.
type Record struct {
	Method  verifiers.Method `json:"method"`
	Value   string           `json:"value"`
	Subject string           `json:"subject"`
	Roles   []string         `json:"roles"`
	Status  Status           `json:"status"`
}

// Records is the set of external credentials Mint draws API keys and
// sessions from. The zero value and nil hold none.
type Records struct {
	list []Record
}

// maxRecordsFile bounds a records file: it is read whole.
const maxRecordsFile = 256 << 20

// maxRecordLine bounds one line of a JSON Lines records file.
const maxRecordLine = 1 << 20

// LoadRecords reads a records file: JSON Lines when the name ends in
// ".jsonl" (one Record object a line), else CSV with the header
// "method,value,subject,roles,status" (roles separated by spaces). Blank
// lines are skipped; errors name the file and line.
func LoadRecords(path string) (*Records, error) {
	data, err := ReadInput(path, maxRecordsFile)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRecords, err)
	}
	if strings.EqualFold(filepath.Ext(path), ".jsonl") {
		return parseJSONL(path, data)
	}
	return parseCSV(path, data)
}

// NewRecords checks recs and returns them as Records (copied).
func NewRecords(recs []Record) (*Records, error) {
	out := &Records{list: make([]Record, 0, len(recs))}
	for i, r := range recs {
		if err := r.validate(); err != nil {
			return nil, fmt.Errorf("%w: record %d: %w", ErrRecords, i, err)
		}
		r.Roles = slices.Clone(r.Roles)
		out.list = append(out.list, r)
	}
	return out, nil
}

// Len returns the number of records.
func (rs *Records) Len() int {
	if rs == nil {
		return 0
	}
	return len(rs.list)
}

func (r Record) validate() error {
	switch {
	case r.Method != verifiers.MethodAPIKey && r.Method != verifiers.MethodSession:
		return fmt.Errorf("method %q: want apikey or session", r.Method)
	case r.Value == "" || r.Subject == "":
		return errors.New("value and subject are required")
	case r.Status != StatusValid && r.Status != StatusRevoked && r.Status != StatusExpired:
		return fmt.Errorf("status %q: want valid, revoked or expired", r.Status)
	}
	return nil
}

func parseJSONL(name string, data []byte) (*Records, error) {
	var recs []Record
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, maxRecordLine)
	line := 1
	for ; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.DisallowUnknownFields()
		var r Record
		if err := dec.Decode(&r); err != nil {
			return nil, fmt.Errorf("%w: %s:%d: %w", ErrRecords, name, line, err)
		}
		if err := r.validate(); err != nil {
			return nil, fmt.Errorf("%w: %s:%d: %w", ErrRecords, name, line, err)
		}
		recs = append(recs, r)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("%w: %s:%d: longer than %d bytes", ErrRecords, name, line, maxRecordLine)
		}
		return nil, fmt.Errorf("%w: %s:%d: %w", ErrRecords, name, line, err)
	}
	return &Records{list: recs}, nil
}

var csvHeader = []string{"method", "value", "subject", "roles", "status"}

func parseCSV(name string, data []byte) (*Records, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = len(csvHeader)
	head, err := cr.Read()
	if err != nil || !slices.Equal(head, csvHeader) {
		return nil, fmt.Errorf("%w: %s:1: want the header %s", ErrRecords, name, strings.Join(csvHeader, ","))
	}
	var recs []Record
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
			return nil, fmt.Errorf("%w: %s:%d: %w", ErrRecords, name, pe.Line, pe.Err)
		} else if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrRecords, name, err)
		}
		r := Record{Method: verifiers.Method(row[0]), Value: row[1], Subject: row[2],
			Roles: strings.Fields(row[3]), Status: Status(row[4])}
		if err := r.validate(); err != nil {
			return nil, fmt.Errorf("%w: %s:%d: %w", ErrRecords, name, line, err)
		}
		recs = append(recs, r)
	}
	return &Records{list: recs}, nil
}

// statusFor is the record status a kind is minted from.
func statusFor(k Kind) Status {
	switch k.Reason {
	case verifiers.ReasonRevoked:
		return StatusRevoked
	case verifiers.ReasonExpired:
		return StatusExpired
	}
	return StatusValid
}

// match returns the records a kind with roles can be minted from: same
// method, the kind's status, holding every role.
func (rs *Records) match(k Kind, roles []string) []Record {
	if rs == nil {
		return nil
	}
	want := statusFor(k)
	var out []Record
	for _, r := range rs.list {
		if r.Method == k.Method && r.Status == want && containsAll(r.Roles, roles) {
			out = append(out, r)
		}
	}
	return out
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}
