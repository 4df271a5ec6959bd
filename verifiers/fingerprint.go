package verifiers

import (
	"crypto/sha256"
	"encoding/hex"
)

// fingerprintBytes is how many bytes of the SHA-256 digest a fingerprint keeps:
// 64 bits, enough to tell credentials apart in an audit log, far too few to
// help anyone guess one.
const fingerprintBytes = 8

// Fingerprint returns a short, stable, non-reversible name for a credential
// value: the first 16 hex digits of its SHA-256 digest. Audit logs and
// metrics carry it instead of the value. It is unkeyed, so it must only be
// applied to high-entropy values (tokens, API keys, session ids), never to
// passwords.
func Fingerprint(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:fingerprintBytes])
}
