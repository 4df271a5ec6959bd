package scenarios

import (
	"github.com/gatecrash/gatecrash/internal/creds"
	"github.com/gatecrash/gatecrash/verifiers"
)

// KindInfo describes one credential kind a scenario's mix can name. The
// credential minting code shares this list, so a kind the scenario accepts
// is a kind the minter makes.
type KindInfo struct {
	// Name is the kind's name in scenarios and results ("jwt-expired").
	Name string
	// Method is the verification method the credential is presented to;
	// empty for "missing", which presents nothing.
	Method verifiers.Method
	// Valid says a correct verifier accepts the credential (where the
	// namespace takes its method and roles).
	Valid bool
	// Reason is the code a correct verifier rejects it with; empty for a
	// valid kind.
	Reason verifiers.Reason
	// Signed says the kind is a JWT signed with the scenario's key, so an
	// external target needs that key.
	Signed bool
	// Records says the kind is an API key or session that must exist in the
	// target's store, so an external target needs credentials.file.
	Records bool
	// EmbeddedOnly says only the embedded server can be given the kind.
	EmbeddedOnly bool
	// Description says what the credential is, for documentation.
	Description string
}

// kindInfo describes a catalogue kind for scenarios.
func kindInfo(k creds.Kind) KindInfo {
	return KindInfo{
		Name:         k.Name,
		Method:       k.Method,
		Valid:        k.Valid,
		Reason:       k.Reason,
		Signed:       k.NeedsKey(),
		Records:      k.NeedsRecords(),
		EmbeddedOnly: k.EmbeddedOnly(),
		Description:  k.Summary,
	}
}

// Kinds returns every credential kind, valid ones first: the catalogue of
// the credential minting code (internal/creds), so a kind a scenario names
// is a kind the minter makes.
func Kinds() []KindInfo {
	cat := creds.Catalogue()
	out := make([]KindInfo, len(cat))
	for i, k := range cat {
		out[i] = kindInfo(k)
	}
	return out
}

// LookupKind returns the kind called name.
func LookupKind(name string) (KindInfo, bool) {
	k, err := creds.Lookup(name)
	if err != nil {
		return KindInfo{}, false
	}
	return kindInfo(k), true
}

func kindNames() []string {
	cat := creds.Catalogue()
	names := make([]string, len(cat))
	for i, k := range cat {
		names[i] = k.Name
	}
	return names
}

// placesFor lists where a credential of method m can travel; the first is
// the default.
func placesFor(m verifiers.Method) []verifiers.Source {
	switch m {
	case verifiers.MethodSession:
		return []verifiers.Source{verifiers.SourceAuth, verifiers.SourceCookie}
	case verifiers.MethodJWT, verifiers.MethodAPIKey:
		return []verifiers.Source{verifiers.SourceAuth, verifiers.SourceHeader, verifiers.SourceQuery}
	}
	return nil
}

// jwtAlgs are the signing algorithms a scenario may name; "none" is only
// reachable through the jwt-alg-none kind.
var jwtAlgs = []string{
	verifiers.AlgHS256, verifiers.AlgHS384, verifiers.AlgHS512, verifiers.AlgRS256,
	verifiers.AlgPS256, verifiers.AlgES256, verifiers.AlgEdDSA,
}

func isHMAC(alg string) bool { return len(alg) > 2 && alg[:2] == "HS" }
