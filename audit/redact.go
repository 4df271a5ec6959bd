package audit

import (
	"strings"
	"sync"
)

// redactedMark replaces a secret in evidence.
const redactedMark = "‹redacted›"

// minSecret is the shortest value redacted: shorter ones ("", "x") would
// blank out ordinary text and protect nothing.
const minSecret = 6

// preClip cuts long evidence before redaction, so a megabyte frame is not
// scanned once per secret; the clip that follows keeps far less.
const preClip = 64 << 10

// redactor removes every credential the audit sent from the evidence it
// keeps. It knows the secrets because it minted them.
type redactor struct {
	mu      sync.RWMutex
	secrets []string
}

func (r *redactor) add(secret string) {
	if len(secret) < minSecret {
		return
	}
	r.mu.Lock()
	r.secrets = append(r.secrets, secret)
	r.mu.Unlock()
}

// text returns s with every known secret replaced and clipped for a report.
func (r *redactor) text(s string) string {
	if len(s) > preClip {
		s = s[:preClip]
	}
	r.mu.RLock()
	for _, sec := range r.secrets {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, redactedMark)
		}
	}
	r.mu.RUnlock()
	return clip([]byte(s))
}

// contains reports whether s holds a known secret (a rejection echoing the
// credential).
func (r *redactor) contains(s string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, sec := range r.secrets {
		if strings.Contains(s, sec) {
			return true
		}
	}
	return false
}
