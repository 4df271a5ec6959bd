package verifiers

import (
	"crypto/rand"
	"encoding/base64"
)

// randomToken returns n random bytes, base64url without padding. crypto/rand
// never fails on supported platforms (Go ≥ 1.24 crashes the program rather
// than return an error), so no error is returned.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
