package creds

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// ErrNotRegular reports an input file (a scenario, a secret, a key, a
// records file) that is not a regular file: a FIFO would block its open, a
// device such as /dev/zero would never end, so it is refused, not read.
var ErrNotRegular = errors.New("not a regular file")

// CheckRegular returns an error wrapping ErrNotRegular unless path names a
// regular file (after symbolic links), or the error of its stat.
func CheckRegular(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s: %w", path, ErrNotRegular)
	}
	return nil
}

// ReadInput reads the whole input file at path, refusing one that is not a
// regular file or is larger than limit bytes. Errors name the file.
func ReadInput(path string, limit int64) ([]byte, error) {
	if err := CheckRegular(path); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	return data, nil
}

// MinHMACSecret returns the shortest HMAC secret alg takes (RFC 7518 §3.2:
// at least the hash's size), 0 for an algorithm that is not HMAC. The
// verifiers refuse shorter secrets with a generic error; callers check
// first, to name the field and the length.
func MinHMACSecret(alg string) int {
	switch strings.ToUpper(alg) {
	case "HS256":
		return 32
	case "HS384":
		return 48
	case "HS512":
		return 64
	}
	return 0
}
