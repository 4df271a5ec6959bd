// Package creds is gatecrash's catalogue of credential kinds and the minting
// of them before a run's clock starts.
//
// A Kind is one sort of credential a handshake presents: a valid one (a JWT
// per signing algorithm, an API key, a session) or a bad one (missing,
// expired, signed with the wrong key, for the wrong audience, revoked, …),
// each bad kind with the reason code a correct server rejects it with and the
// CASES.md rows it stands for. Catalogue lists them; Lookup finds one by
// name.
//
// ExpectFor says what a kind must get on a namespace, given the namespace's
// Policy and where the credential travels: accept, or reject with a reason.
//
// Mint prepares a Set: for each handshake of a run, one credential, drawn
// from a weighted mix of Specs (kind, roles, where it travels) and from N
// identities (subjects user-000001, user-000002, …) with a reuse pattern:
// unique per handshake, uniform over N, or Zipf with parameter s. Reuse
// decides how often the server sees the same credential again, so it drives
// the hit ratio of a verifier cache. Minting has two modes:
//
//   - embedded: the run owns the reference server's key material and its
//     in-memory stores, so Mint creates API keys and sessions in them and
//     revokes or expires the ones the bad kinds need;
//   - external: the target has its own identity provider; JWTs are signed with
//     a secret or private key the scenario names, API keys and sessions come
//     from a records file (CSV or JSONL, LoadRecords). A kind that cannot be
//     minted from the material given is an error naming the kind.
//
// Mint draws from a seeded generator, so the same Plan picks the same kinds
// and identities in the same order (the credential values themselves are
// random: keys, ids and jti come from crypto/rand).
package creds
