package creds

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/gatecrash/gatecrash/verifiers"
)

// DefaultSessionCookie is the session cookie name when Config leaves it
// empty: the cookie verifiers.Login sets, the reference server's default.
const DefaultSessionCookie = verifiers.SessionCookieName

// The names a credential travels under, per method, as the reference server
// reads them (server/credentials.go).
var (
	authKeys   = map[verifiers.Method]string{"jwt": "token", "apikey": "apiKey", "session": "sessionId"}
	queryKeys  = map[verifiers.Method]string{"jwt": "token", "apikey": "api_key", "session": "session_id"}
	authScheme = map[verifiers.Method]string{"jwt": "Bearer", "apikey": "ApiKey"}
)

// wire is how one credential value is put on the wire: the CONNECT auth
// payload, or one header, or one query parameter.
type wire struct {
	auth        []byte // JSON object, nil when the credential is not in the payload
	headerName  string
	headerValue string
	queryKey    string
	queryValue  string
}

// checkPlacement reports whether a credential of method m can travel in src.
func checkPlacement(kind string, m verifiers.Method, src verifiers.Source) error {
	ok := false
	switch src {
	case verifiers.SourceAuth, verifiers.SourceQuery:
		ok = true
	case verifiers.SourceHeader:
		ok = authScheme[m] != ""
	case verifiers.SourceCookie:
		ok = m == verifiers.MethodSession
	}
	if m == "" || ok {
		return nil
	}
	return fmt.Errorf("%w: kind %s (%s) in %q", ErrPlacement, kind, m, src)
}

// wireFor places value; m is empty for "missing", which places nothing.
func wireFor(m verifiers.Method, src verifiers.Source, value, cookie string) wire {
	if m == "" {
		return wire{}
	}
	switch src {
	case verifiers.SourceHeader:
		return wire{headerName: "Authorization", headerValue: authScheme[m] + " " + value}
	case verifiers.SourceCookie:
		c := http.Cookie{Name: cookie, Value: value}
		return wire{headerName: "Cookie", headerValue: c.String()}
	case verifiers.SourceQuery:
		return wire{queryKey: queryKeys[m], queryValue: value}
	}
	// Marshalling a map of one string cannot fail.
	b, _ := json.Marshal(map[string]string{authKeys[m]: value})
	return wire{auth: b}
}

// Auth returns the CONNECT auth payload (a JSON object) or nil when the
// credential does not travel in it. The slice is shared: do not modify it.
func (c *Credential) Auth() []byte { return c.wire.auth }

// Apply adds the credential's header or query parameter, if it has one, to h
// and q of the Engine.IO handshake request. Either may be nil when the
// caller knows the credential does not use it (Source says where it goes).
func (c *Credential) Apply(h http.Header, q url.Values) {
	if c.wire.headerName != "" && h != nil {
		h.Add(c.wire.headerName, c.wire.headerValue)
	}
	if c.wire.queryKey != "" && q != nil {
		q.Add(c.wire.queryKey, c.wire.queryValue)
	}
}
