'use strict';
// JWT (HS256) authentication for the interop server: extracts the token from a
// socket.io handshake, verifies it with jsonwebtoken and maps every failure to
// one of gatecrash's reason codes (verifiers/reason.go), so the Go side can
// compare Node's decisions with its own code for code.

const jwt = require('jsonwebtoken');

// MAX_TOKEN_BYTES caps a token before any decoding (CASES.md A-13, V7). It
// matches the 8 KiB cap proposed for gatecrash's own verifiers.
const MAX_TOKEN_BYTES = 8192;

// AuthError is a rejection: message is the generic word socket.io sends
// (unauthorized or forbidden), data.code the precise reason code.
class AuthError extends Error {
  constructor(message, code) {
    super(message);
    this.data = { code };
  }
}

function unauthorized(code) {
  return new AuthError('unauthorized', code);
}

// jsonwebtoken reports most failures as JsonWebTokenError with a message; the
// table maps those messages (jsonwebtoken 9.0.x, pinned) to reason codes.
const MESSAGE_CODES = [
  [/^jwt malformed$|^invalid token$|^jwt must be/, 'malformed'],
  [/signature/, 'bad_signature'],
  [/algorithm|unsigned tokens/, 'bad_algorithm'],
  [/^jwt audience invalid/, 'wrong_audience'],
  [/^jwt issuer invalid/, 'wrong_issuer'],
  [/^invalid (exp|nbf) value$/, 'missing_claim'],
];

function codeOfVerifyError(err) {
  if (err instanceof jwt.TokenExpiredError) return 'expired';
  if (err instanceof jwt.NotBeforeError) return 'not_yet_valid';
  for (const [pattern, code] of MESSAGE_CODES) {
    if (pattern.test(err.message)) return code;
  }
  return 'malformed';
}

// bearerOf returns the token of an "Authorization: Bearer x" header, '' when
// the header is absent, and null when it is present but not a bearer value.
function bearerOf(headers) {
  const value = headers.authorization;
  if (value === undefined) return '';
  const m = /^bearer (.*)$/i.exec(String(value));
  return m ? m[1] : null;
}

// tokenOf extracts the token: the auth payload's "token" first, else the
// Authorization header of the Engine.IO handshake request. Both present and
// different is a conflict (CASES.md A-12): fail closed.
function tokenOf(handshake) {
  const auth = handshake.auth || {};
  const header = bearerOf(handshake.headers || {});
  const hasAuth = Object.prototype.hasOwnProperty.call(auth, 'token');
  if (hasAuth && typeof auth.token !== 'string') throw unauthorized('malformed');
  if (header === null) throw unauthorized('malformed');
  if (hasAuth && header !== '' && header !== auth.token) throw unauthorized('conflict');
  const token = hasAuth ? auth.token : header;
  if (token.trim() === '') throw unauthorized('missing');
  return token;
}

// headerOf decodes the JOSE header, so the algorithm is checked before any
// verification (alg none and friends are bad_algorithm, not bad_signature).
function headerOf(token) {
  const parts = token.split('.');
  if (parts.length !== 3) throw unauthorized('malformed');
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    if (header === null || typeof header !== 'object') throw new Error('not an object');
    return header;
  } catch {
    throw unauthorized('malformed');
  }
}

// requireClaims enforces what jsonwebtoken leaves optional: exp, iat and sub
// present and typed, iat not in the future beyond the leeway.
function requireClaims(claims, nowSec, leewaySec) {
  if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') {
    throw unauthorized('missing_claim');
  }
  if (typeof claims.sub !== 'string' || claims.sub === '') throw unauthorized('missing_claim');
  if (claims.iat > nowSec + leewaySec) throw unauthorized('not_yet_valid');
}

// verifyToken returns the claims of a valid token or throws an AuthError.
function verifyToken(token, cfg) {
  if (Buffer.byteLength(token, 'utf8') > MAX_TOKEN_BYTES) throw unauthorized('too_large');
  if (headerOf(token).alg !== 'HS256') throw unauthorized('bad_algorithm');
  const nowSec = Math.floor(Date.now() / 1000);
  let claims;
  try {
    claims = jwt.verify(token, cfg.secret, {
      algorithms: ['HS256'],
      issuer: cfg.issuer,
      audience: cfg.audience,
      clockTolerance: cfg.leewaySec,
      clockTimestamp: nowSec,
    });
  } catch (err) {
    throw unauthorized(codeOfVerifyError(err));
  }
  requireClaims(claims, nowSec, cfg.leewaySec);
  return claims;
}

// middleware returns a socket.io middleware for one namespace. role, when
// set, must be in the claim "roles", an array of exact strings (C-16, C-17).
function middleware(cfg, role) {
  return (socket, next) => {
    let claims;
    try {
      claims = verifyToken(tokenOf(socket.handshake), cfg);
    } catch (err) {
      return next(err instanceof AuthError ? err : unauthorized('internal'));
    }
    if (role && !(Array.isArray(claims.roles) && claims.roles.includes(role))) {
      return next(new AuthError('forbidden', 'forbidden'));
    }
    socket.data.identity = { sub: claims.sub, method: 'jwt', roles: claims.roles || [] };
    return next();
  };
}

module.exports = { middleware, verifyToken, tokenOf, AuthError, MAX_TOKEN_BYTES };
