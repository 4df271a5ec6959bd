// Package keyfile reads and appends the API-key records file that
// `gatecrash token apikey` writes and `gatecrash serve --api-keys` loads: one
// JSON object a line, holding a key's digest and metadata, never the key.
package keyfile

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/gatecrash/gatecrash/verifiers"
)

// ErrFormat is wrapped by every error about a malformed line.
var ErrFormat = errors.New("keyfile: malformed record")

// line is one record as stored.
type line struct {
	ID         string    `json:"id"`
	Env        string    `json:"env"`
	Digest     string    `json:"sha256"`
	Subject    string    `json:"subject"`
	Roles      []string  `json:"roles,omitempty"`
	Namespaces []string  `json:"namespaces,omitempty"`
	Expires    time.Time `json:"expires,omitzero"`
	Revoked    bool      `json:"revoked,omitempty"`
}

// Append adds rec to the file at path, creating it (mode 0600) if needed.
func Append(path string, rec verifiers.APIKeyRecord) error {
	b, err := json.Marshal(line{
		ID: rec.ID, Env: rec.Env, Digest: hex.EncodeToString(rec.Digest[:]),
		Subject: rec.Subject, Roles: rec.Roles, Namespaces: rec.Namespaces,
		Expires: rec.Expires, Revoked: rec.Revoked,
	})
	if err != nil {
		return fmt.Errorf("keyfile: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("keyfile: %w", err)
	}
	_, werr := f.Write(append(b, '\n'))
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("keyfile: %s: %w", path, werr)
	}
	return nil
}

// Load reads every record of the file at path. Blank lines are skipped; an
// error names the file and line.
func Load(path string) ([]verifiers.APIKeyRecord, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("keyfile: %w", err)
	}
	var out []verifiers.APIKeyRecord
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		rec, err := decode(text)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		out = append(out, rec)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("keyfile: %s: %w", path, err)
	}
	return out, nil
}

func decode(text []byte) (verifiers.APIKeyRecord, error) {
	var l line
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return verifiers.APIKeyRecord{}, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	rec := verifiers.APIKeyRecord{
		ID: l.ID, Env: l.Env, Subject: l.Subject, Roles: l.Roles,
		Namespaces: l.Namespaces, Expires: l.Expires, Revoked: l.Revoked,
	}
	d, err := hex.DecodeString(l.Digest)
	if err != nil || len(d) != len(rec.Digest) {
		return rec, fmt.Errorf("%w: sha256 must be %d hex digits", ErrFormat, 2*len(rec.Digest))
	}
	copy(rec.Digest[:], d)
	if l.ID == "" || l.Env == "" || l.Subject == "" {
		return rec, fmt.Errorf("%w: id, env and subject are required", ErrFormat)
	}
	return rec, nil
}
