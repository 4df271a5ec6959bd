package server

import (
	"net/http"
	"strings"

	"github.com/gatecrash/gatecrash/verifiers"
)

// Where credentials are read, and in which order.
//
// Sources, by precedence (the first is the primary credential):
//
//  1. AUTH: the auth object of the Socket.IO CONNECT, per namespace:
//     "token" (JWT), "apiKey" (API key), "sessionId" (session). Other keys
//     are ignored; a listed key whose value is not a string is malformed.
//  2. HEADER: the Engine.IO handshake request's "Authorization: Bearer <jwt>"
//     or "Authorization: ApiKey <key>" (scheme case-insensitive, exactly one
//     space, no space inside the value), and "X-API-Key: <key>". Another
//     scheme is ignored (it may belong to a proxy).
//  3. COOKIE: the session cookie of the handshake request.
//  4. QUERY: "token", "api_key", "session_id" of the handshake URL, read only
//     when the namespace's policy sets AllowQuery.
//
// Within a source the order is JWT, API key, session.
//
// AUTH credentials of a method the namespace does not accept are refused
// (forbidden): the client asked for something this namespace does not
// offer. HEADER, COOKIE and QUERY credentials belong to the whole Engine.IO
// session and are shared by every namespace it joins, so those of a method
// the namespace does not accept are ignored there.
//
// Conflicts fail closed: every presented credential of an accepted method is
// verified; if any is invalid the CONNECT is rejected with that credential's
// reason, and if valid credentials name different subjects it is rejected
// with "conflict".

// authKeys maps CONNECT auth keys to methods, in precedence order.
var authKeys = [...]struct {
	key    string
	method verifiers.Method
}{
	{"token", verifiers.MethodJWT},
	{"apiKey", verifiers.MethodAPIKey},
	{"sessionId", verifiers.MethodSession},
}

// queryKeys maps query parameters to methods, in precedence order.
var queryKeys = [...]struct {
	key    string
	method verifiers.Method
}{
	{"token", verifiers.MethodJWT},
	{"api_key", verifiers.MethodAPIKey},
	{"session_id", verifiers.MethodSession},
}

// presented is one credential as found, before any verification; bad is the
// reason it is refused without verification ("" when it can be verified).
type presented struct {
	cred verifiers.Credential
	bad  verifiers.Reason
}

// collect returns the credentials of one CONNECT in precedence order, and
// the reason to refuse them all before verification ("" when none).
func collect(rule *nsRule, auth map[string]any, r *http.Request, cookie string, maxLen int) []presented {
	var out []presented
	for _, k := range authKeys {
		v, ok := auth[k.key]
		if !ok {
			continue
		}
		p := presented{cred: verifiers.Credential{Method: k.method, Source: verifiers.SourceAuth}}
		s, isString := v.(string)
		switch {
		case !rule.accepts(k.method):
			p.bad = verifiers.ReasonForbidden
		case !isString || strings.TrimSpace(s) == "":
			p.bad = verifiers.ReasonMalformed
		default:
			p.cred.Value = s
		}
		out = append(out, p)
	}
	out = appendHeader(out, rule, r)
	if rule.accepts(verifiers.MethodSession) {
		if c, err := r.Cookie(cookie); err == nil {
			out = append(out, valued(verifiers.MethodSession, verifiers.SourceCookie, c.Value))
		}
	}
	if rule.allowQuery {
		q := r.URL.Query()
		for _, k := range queryKeys {
			if v, ok := q[k.key]; ok && rule.accepts(k.method) {
				out = append(out, valued(k.method, verifiers.SourceQuery, strings.Join(v, ",")))
			}
		}
	}
	for i := range out {
		if out[i].bad == "" && len(out[i].cred.Value) > maxLen {
			out[i].bad = verifiers.ReasonTooLarge
		}
	}
	return out
}

// appendHeader adds the Authorization and X-API-Key credentials.
func appendHeader(out []presented, rule *nsRule, r *http.Request) []presented {
	for _, h := range r.Header.Values("Authorization") {
		scheme, value, _ := strings.Cut(h, " ")
		var m verifiers.Method
		switch {
		case strings.EqualFold(scheme, "Bearer"):
			m = verifiers.MethodJWT
		case strings.EqualFold(scheme, "ApiKey"):
			m = verifiers.MethodAPIKey
		default:
			continue
		}
		if rule.accepts(m) {
			out = append(out, valued(m, verifiers.SourceHeader, value))
		}
	}
	if rule.accepts(verifiers.MethodAPIKey) {
		for _, v := range r.Header.Values("X-API-Key") {
			out = append(out, valued(verifiers.MethodAPIKey, verifiers.SourceHeader, v))
		}
	}
	return out
}

// valued builds a presented credential, malformed when empty or when it
// holds whitespace (a header with two spaces after the scheme, a value with
// CR or LF).
func valued(m verifiers.Method, src verifiers.Source, v string) presented {
	p := presented{cred: verifiers.Credential{Method: m, Source: src, Value: v}}
	if v == "" || strings.ContainsAny(v, " \t\r\n") {
		p.bad = verifiers.ReasonMalformed
		p.cred.Value = ""
	}
	return p
}
