'use strict';
// A real socket.io v4 server with JWT (HS256) authentication on each namespace,
// for gatecrash's interop tests. It listens on loopback only and prints one
// JSON line on stdout once it accepts connections: {"ready":true,"port":N,...}.
//
// Flags (each also read from the environment variable in brackets):
//   --host H        loopback address to listen on [GATECRASH_NODE_HOST] (127.0.0.1)
//   --port N        port, 0 picks a free one [GATECRASH_NODE_PORT] (0)
//   --secret S      HS256 shared secret [GATECRASH_JWT_SECRET] (required)
//   --issuer I      required "iss" [GATECRASH_JWT_ISSUER] (gatecrash)
//   --audience A    required "aud" [GATECRASH_JWT_AUDIENCE] (gatecrash)
//   --leeway SEC    clock leeway for exp, nbf and iat [GATECRASH_JWT_LEEWAY] (0)
//   --mode M        "all": auth on every namespace; "main-only": auth only through
//                   io.use, so only "/" is guarded (CASES.md V1, BL-01) [GATECRASH_NODE_MODE]
//
// Namespaces: "/" and "/api" need a valid token; "/admin" also needs the role
// "admin". Events: "whoami" acks {sub, method, nsp}; "echo" acks its arguments.

const http = require('node:http');
const net = require('node:net');
const { Server } = require('socket.io');
const { middleware } = require('./auth');
const { parseArgs } = require('./args');

const NAMESPACES = [
  { name: '/', role: '' },
  { name: '/admin', role: 'admin' },
  { name: '/api', role: '' },
];

function loadConfig(argv, env) {
  const a = parseArgs(argv);
  const cfg = {
    host: a.host || env.GATECRASH_NODE_HOST || '127.0.0.1',
    port: Number(a.port || env.GATECRASH_NODE_PORT || 0),
    secret: a.secret || env.GATECRASH_JWT_SECRET || '',
    issuer: a.issuer || env.GATECRASH_JWT_ISSUER || 'gatecrash',
    audience: a.audience || env.GATECRASH_JWT_AUDIENCE || 'gatecrash',
    leewaySec: Number(a.leeway || env.GATECRASH_JWT_LEEWAY || 0),
    mode: a.mode || env.GATECRASH_NODE_MODE || 'all',
  };
  if (!cfg.secret) throw new Error('--secret (or GATECRASH_JWT_SECRET) is required');
  if (!isLoopback(cfg.host)) throw new Error(`--host ${cfg.host} is not a loopback address`);
  if (!Number.isInteger(cfg.port) || cfg.port < 0 || cfg.port > 65535) {
    throw new Error(`--port ${cfg.port} is not a port`);
  }
  if (!Number.isFinite(cfg.leewaySec) || cfg.leewaySec < 0) throw new Error('--leeway must be >= 0');
  if (cfg.mode !== 'all' && cfg.mode !== 'main-only') {
    throw new Error(`--mode ${cfg.mode}: want "all" or "main-only"`);
  }
  return cfg;
}

function isLoopback(host) {
  if (host === 'localhost' || host === '::1') return true;
  return net.isIPv4(host) && host.startsWith('127.');
}

function handlers(socket) {
  socket.on('whoami', (...args) => {
    const ack = args.pop();
    if (typeof ack !== 'function') return;
    const id = socket.data.identity || {};
    ack({ sub: id.sub || null, method: id.method || null, nsp: socket.nsp.name });
  });
  socket.on('echo', (...args) => {
    const ack = args.pop();
    if (typeof ack === 'function') ack(...args);
  });
}

function build(cfg) {
  const httpServer = http.createServer();
  const io = new Server(httpServer, { serveClient: false, connectTimeout: 5000 });
  for (const ns of NAMESPACES) {
    const nsp = io.of(ns.name);
    // main-only reproduces the classic hole: io.use guards "/" alone.
    if (cfg.mode === 'all' || ns.name === '/') nsp.use(middleware(cfg, ns.role));
    nsp.on('connection', handlers);
  }
  return { httpServer, io };
}

function main() {
  let cfg;
  try {
    cfg = loadConfig(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`server.js: ${err.message}\n`);
    process.exit(2);
  }
  const { httpServer, io } = build(cfg);
  httpServer.on('error', (err) => {
    process.stderr.write(`server.js: ${err.message}\n`);
    process.exit(1);
  });
  httpServer.listen(cfg.port, cfg.host, () => {
    const { port } = httpServer.address();
    process.stdout.write(JSON.stringify({ ready: true, port, host: cfg.host, mode: cfg.mode }) + '\n');
  });
  const stop = () => {
    // A stuck client must not keep the process alive past a short grace.
    setTimeout(() => process.exit(0), 2000).unref();
    io.close(() => process.exit(0));
    // Idle keep-alive connections (left by polling clients) would hold the
    // HTTP server's close open until they time out.
    httpServer.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) main();

module.exports = { loadConfig, build, isLoopback };
