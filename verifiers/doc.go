// Package verifiers decides whether a presented credential is valid and, if
// it is, who it identifies. It knows nothing of Socket.IO: the server hands it
// a Credential (a value and where it travelled) and gets back an Identity or
// an error that carries a stable Reason code.
//
// Three verifiers implement the Verifier interface:
//
//   - JWT (NewJWT): strict JSON Web Token verification with golang-jwt v5. One
//     algorithm per key, exp/iat/sub required, iss and aud checked, leeway for
//     exp/nbf/iat, a length cap checked before any parsing, strict base64,
//     "crit" refused, "kid" used only as a bounded map key, an optional
//     maximum lifetime and jti denylist. Keys are static (PEM, JWK, generated)
//     or fetched from a JWKS URL through keyfunc with a bounded refresh.
//   - API keys (NewAPIKeyVerifier): keys of the form gck_<env>_<id>_<secret>;
//     the store keeps only a SHA-256 digest, compared in constant time.
//   - Sessions (NewSessionVerifier): opaque 256-bit session ids naming a
//     server-side record whose idle and absolute expiry decide.
//
// NewCached wraps any Verifier in a ristretto cache that is a pure
// optimisation: it never decides differently from the wrapped verifier. Stores
// publish revocation and grant generations (Generations) so that a cached
// decision made before a revocation is never served after it.
//
// The stores come in memory (the embedded default) and Redis (OpenRedis)
// flavours. The Redis stores share one connection whose pub/sub feed carries
// revocations between processes and bumps the stores' generations, so a
// revocation anywhere reaches every cache; when Redis is unreachable
// verification fails closed (ReasonUnavailable) and caches stop serving
// positive entries after CacheConfig.OutageGrace. Key layout, TTLs and the
// failure behaviour are in redis.md.
//
// Signing-side helpers (GenerateSigningKey, LoadSigningKeyFile, SigningKey.Sign)
// let the load generator and the CLI mint tokens the verifiers accept.
//
// Errors never contain the credential, a kid or a secret; Fingerprint gives a
// short digest suitable for audit logs.
package verifiers
