package scenarios

import (
	"net/netip"
	"time"

	"github.com/gatecrash/gatecrash/results"
	"github.com/gatecrash/gatecrash/verifiers"
)

// Scenario is a validated scenario with every default filled in. The YAML
// form is documented field by field in README.md.
type Scenario struct {
	Name        string
	Description string
	// Source is where the scenario came from: a file path, or
	// "builtin:<name>" for a shipped one.
	Source string
	// Target is the server under test; nil means the embedded reference
	// server, started in-process.
	Target *Target
	// Server configures the embedded server; nil when Target is set.
	Server      *Server
	Namespaces  []Namespace
	Credentials Credentials
	Load        LoadSpec
	Thresholds  []results.Threshold
	Outputs     Outputs
	// Revoke, when set, measures the revocation lag during the load.
	Revoke *Revoke
}

// Target is an external Socket.IO server.
type Target struct {
	// URL is the server's base URL (http, https, ws or wss), with no path.
	URL string
	// Path is the Socket.IO path; default "/socket.io/".
	Path string
	// AllowRemote permits a target outside loopback.
	AllowRemote bool
	TLS         TLS
}

// TLS configures the client side of TLS for https and wss targets.
type TLS struct {
	// CAFile is a PEM bundle of roots to trust; relative to the scenario
	// file.
	CAFile             string
	InsecureSkipVerify bool
}

// Profile is the embedded server's behaviour.
type Profile string

// The profiles.
const (
	// ProfileHardened is the reference server: every namespace
	// authenticated, deny by default.
	ProfileHardened Profile = "hardened"
	// ProfileSeedGap reproduces the gaps of the analysed application, so an
	// audit can be shown catching them.
	ProfileSeedGap Profile = "seed-gap"
)

// Server configures the embedded reference server.
type Server struct {
	Profile Profile
	// Cache is the verification cache of each method; every method is
	// present.
	Cache map[verifiers.Method]Cache
	// Policy is an optional server policy file, relative to the scenario
	// file; empty means the policy follows Namespaces.
	Policy string
	// Redis, when set, keeps the embedded server's API keys, sessions and
	// revoked jtis in Redis instead of memory.
	Redis *Redis
}

// Redis is the Redis the embedded server's stores live in.
type Redis struct {
	// URL is redis://[user:password@]host:port/db or rediss://.
	URL string
	// Prefix starts every key and the revocation channel; default
	// "gatecrash:".
	Prefix string
	// PubSub subscribes to revocations (default true); false leaves the
	// cache TTL as the bound on serving a revoked credential.
	PubSub bool
	// AllowRemote permits a Redis outside loopback.
	AllowRemote bool
}

// Cache configures one method's verification cache.
type Cache struct {
	Enabled bool
	TTL     time.Duration
	Size    int
}

// Namespace is one namespace of the target and its policy. Expectations are
// computed from it.
type Namespace struct {
	Name string
	// Methods are the credential methods the namespace accepts.
	Methods []verifiers.Method
	// Roles must all be held by the identity.
	Roles []string
	// Weight is how often a handshake targets the namespace, relative to
	// the others.
	Weight float64
	// Public says the namespace accepts anyone, credential or not.
	Public bool
}

// Reuse is how handshakes pick identities.
type Reuse string

// The reuse modes.
const (
	ReuseUnique  Reuse = "unique"  // each identity at most once
	ReuseUniform Reuse = "uniform" // uniformly at random
	ReuseZipf    Reuse = "zipf"    // Zipf-distributed: a few identities dominate
)

// Credentials say who the clients are and what they present.
type Credentials struct {
	// Identities is the number of identities minted before the run.
	Identities int
	Reuse      Reuse
	// ZipfS is the Zipf exponent (> 1) when Reuse is zipf.
	ZipfS float64
	JWT   JWT
	// File holds pre-issued credentials (CSV or JSONL) for targets with
	// their own identity provider; relative to the scenario file.
	File string
	Mix  []MixEntry
}

// JWT configures how tokens are minted.
type JWT struct {
	// Alg is the default signing algorithm; default HS256.
	Alg string
	// Secret or SecretFile hold the HMAC secret, KeyFile the private key
	// (PEM) for RS, PS, ES and EdDSA. All empty with the embedded server
	// means a key generated for the run.
	Secret     string
	SecretFile string
	KeyFile    string
	Issuer     string
	Audience   string
	// Lifetime is exp - iat of valid tokens.
	Lifetime time.Duration
}

// MixEntry is one credential kind in the mix.
type MixEntry struct {
	// Label names the entry's row in results: Name when given, else the
	// kind, with its roles in brackets when it has some ("jwt[admin]").
	Label string
	Kind  string
	// Weight is how often the entry is drawn, relative to the others.
	Weight float64
	// Roles are the roles the minted identity holds.
	Roles []string
	// Place is where the credential travels; default auth.
	Place verifiers.Source
	// Alg overrides the JWT algorithm for this entry.
	Alg string
	// Expect overrides the computed expectation per namespace.
	Expect map[string]results.Expect
}

// Model is a load model.
type Model string

// The load models.
const (
	ModelOpen   Model = "open"   // arrivals on a schedule, whatever the replies
	ModelClosed Model = "closed" // virtual users, each waiting for its reply
	ModelHold   Model = "hold"   // open sockets and keep them
)

// Transport is the Engine.IO transport.
type Transport string

// The transports.
const (
	TransportWebSocket Transport = "websocket"
	TransportPolling   Transport = "polling"
)

// LoadSpec is the load model and the handshake settings (the load block).
type LoadSpec struct {
	Model Model
	// Stages are the open model's schedule.
	Stages []Stage
	// VUs, Duration and Iterations drive the closed model (Duration or
	// Iterations, not both).
	VUs        int
	Duration   time.Duration
	Iterations int64
	// Sockets, Ramp, Hold and EventEvery drive the hold model: open
	// Sockets over Ramp, keep them for Hold, send an event with ack every
	// EventEvery (zero: none).
	Sockets    int
	Ramp       time.Duration
	Hold       time.Duration
	EventEvery time.Duration

	Transport Transport
	// Timeout bounds one handshake.
	Timeout time.Duration
	// AckEvent is the event sent with an ack after acceptance (the
	// identity check); default "whoami".
	AckEvent string
	// Multiplex connects every namespace of a handshake on one connection.
	Multiplex bool
	// SourceAddrs are local addresses to spread connections over.
	SourceAddrs []netip.Addr
}

// Stage is one step of an open-model schedule.
type Stage struct {
	Duration time.Duration
	// Rate is handshakes per second at the end of the stage.
	Rate float64
	// Ramp moves linearly from the previous stage's rate (zero for the
	// first) to Rate; otherwise the rate is constant.
	Ramp bool
}

// Outputs say where results go.
type Outputs struct {
	// JSON is the results file path; empty means none.
	JSON string
}

// PlannedDuration returns the load's scheduled length, zero when the
// schedule has no fixed length (closed model bounded by iterations).
func (l LoadSpec) PlannedDuration() time.Duration {
	switch l.Model {
	case ModelOpen:
		var d time.Duration
		for _, s := range l.Stages {
			d += s.Duration
		}
		return d
	case ModelClosed:
		return l.Duration
	case ModelHold:
		return l.Ramp + l.Hold
	}
	return 0
}

// PlannedHandshakes returns the number of handshakes the schedule starts,
// and false when it depends on the server (closed model bounded by time).
func (l LoadSpec) PlannedHandshakes() (int64, bool) {
	switch l.Model {
	case ModelOpen:
		var n, prev float64
		for _, s := range l.Stages {
			if s.Ramp {
				n += (prev + s.Rate) / 2 * s.Duration.Seconds()
			} else {
				n += s.Rate * s.Duration.Seconds()
			}
			prev = s.Rate
		}
		return int64(n), true
	case ModelClosed:
		return l.Iterations, l.Iterations > 0
	case ModelHold:
		return int64(l.Sockets), true
	}
	return 0, false
}
