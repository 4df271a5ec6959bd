package creds

import (
	"crypto/rand"
	"encoding/base64"
)

// randomURL returns n random bytes, base64url without padding. crypto/rand
// does not fail on supported platforms (Go ≥ 1.24 aborts instead).
func randomURL(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// alterMiddle returns s with its middle character replaced by another one of
// alphabet, so the value keeps its format but names nothing.
func alterMiddle(s, alphabet string) string {
	if s == "" {
		return "x"
	}
	b := []byte(s)
	i := len(b) / 2
	b[i] = alphabet[0]
	if s[i] == alphabet[0] {
		b[i] = alphabet[1]
	}
	return string(b)
}
