'use strict';
// A real socket.io-client v4 peer for gatecrash's interop tests. It connects to
// one or more namespaces of a loopback server, one after the other over one
// Engine.IO session (multiplexed), and prints one JSON line per outcome:
//   {"event":"connect","nsp":"/admin","id":"…","transport":"websocket","whoami":{…}}
//   {"event":"connect_error","nsp":"/admin","message":"unauthorized","data":{"code":"expired"}}
//   {"event":"timeout","nsp":"/admin"}
//   {"event":"upgrade","transport":"websocket"}          (--transport upgrade only)
// then exits 0. Usage errors exit 2. The whole run is bounded by --timeout.
//
// Flags:
//   --url URL            http://127.0.0.1:PORT (loopback only; required)
//   --nsp NS             namespace, repeatable, in order (default "/")
//   --token T            auth payload {"token":T}
//   --auth JSON          auth payload as JSON (instead of --token)
//   --header "K: V"      extra handshake header, repeatable
//   --transport T        websocket (default) | polling | upgrade (polling, then websocket)
//   --timeout MS         bound on the whole run (default 5000)
//   --whoami false       do not send whoami after a connect
//   --echo JSON          after a connect, emit "echo" with this JSON array as its
//                        arguments; the ack's arguments go in the line's "echo"

const { Manager } = require('socket.io-client');
const { parseArgs } = require('./args');
const { isLoopback } = require('./server');

const TRANSPORTS = {
  websocket: { transports: ['websocket'], upgrade: false },
  polling: { transports: ['polling'], upgrade: false },
  upgrade: { transports: ['polling', 'websocket'], upgrade: true },
};

function loadConfig(argv) {
  const a = parseArgs(argv, ['nsp', 'header']);
  if (!a.url) throw new Error('--url is required');
  const host = new URL(a.url).hostname.replace(/^\[|\]$/g, '');
  if (!isLoopback(host)) throw new Error(`--url ${a.url} is not a loopback address`);
  const transport = a.transport || 'websocket';
  if (!TRANSPORTS[transport]) throw new Error(`--transport ${transport}: unknown`);
  let auth;
  if (a.auth !== undefined) auth = JSON.parse(a.auth);
  else if (a.token !== undefined) auth = { token: a.token };
  const headers = {};
  for (const h of a.header) {
    const i = h.indexOf(':');
    if (i <= 0) throw new Error(`--header ${JSON.stringify(h)}: want "Name: value"`);
    headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  if (a.echo !== undefined && !Array.isArray(JSON.parse(a.echo))) {
    throw new Error('--echo must be a JSON array');
  }
  const timeoutMs = Number(a.timeout || 5000);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error('--timeout must be > 0');
  return {
    url: a.url, nsps: a.nsp.length ? a.nsp : ['/'], auth, headers, transport, timeoutMs,
    whoami: a.whoami !== 'false',
    echo: a.echo === undefined ? undefined : JSON.parse(a.echo),
  };
}

function print(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function withTimeout(promise, ms, onTimeout) {
  let timer;
  const expiry = new Promise((resolve) => { timer = setTimeout(() => resolve(onTimeout()), ms); });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

// connectOne resolves with the outcome line of one namespace CONNECT.
function connectOne(manager, cfg, nsp) {
  const socket = manager.socket(nsp, cfg.auth === undefined ? {} : { auth: cfg.auth });
  return new Promise((resolve) => {
    socket.once('connect_error', (err) => {
      resolve({ event: 'connect_error', nsp, message: err.message, data: err.data ?? null });
    });
    socket.once('connect', async () => {
      const line = { event: 'connect', nsp, id: socket.id, transport: manager.engine.transport.name };
      if (cfg.whoami) line.whoami = await ask(socket, cfg.timeoutMs, ['whoami']);
      if (cfg.echo) line.echo = await ask(socket, cfg.timeoutMs, ['echo', ...cfg.echo], true);
      resolve(line);
    });
    socket.connect();
  });
}

// ask emits an event with an ack and resolves with the ack's first argument
// (or all of them when all is set), or null when no ack came in time.
function ask(socket, ms, args, all = false) {
  return new Promise((resolve) => {
    socket.timeout(ms).emit(...args, (err, ...res) => resolve(err ? null : all ? res : res[0]));
  });
}

function waitUpgrade(manager) {
  const engine = manager.engine;
  if (engine.transport.name === 'websocket') return Promise.resolve();
  return new Promise((resolve) => engine.once('upgrade', () => resolve()));
}

async function run(cfg, deadline) {
  const manager = new Manager(cfg.url, {
    ...TRANSPORTS[cfg.transport],
    autoConnect: false,
    reconnection: false,
    timeout: cfg.timeoutMs,
    extraHeaders: cfg.headers,
    // Keep the cookies the server sets, as a browser does: the hardened
    // reference server binds each polling session to one (CASES G-06).
    withCredentials: true,
  });
  for (const nsp of cfg.nsps) {
    const left = Math.max(1, deadline - Date.now());
    print(await withTimeout(connectOne(manager, cfg, nsp), left, () => ({ event: 'timeout', nsp })));
  }
  if (cfg.transport === 'upgrade' && manager.engine) {
    const left = Math.max(1, deadline - Date.now());
    const line = await withTimeout(
      waitUpgrade(manager).then(() => ({ event: 'upgrade', transport: manager.engine.transport.name })),
      left, () => ({ event: 'timeout', nsp: null, waiting: 'upgrade' }));
    print(line);
  }
  manager.engine?.close();
}

function main() {
  let cfg;
  try {
    cfg = loadConfig(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`client.js: ${err.message}\n`);
    process.exit(2);
  }
  const deadline = Date.now() + cfg.timeoutMs;
  // Hard stop: nothing may keep the process past its bound.
  setTimeout(() => process.exit(0), cfg.timeoutMs + 1000).unref();
  run(cfg, deadline).then(() => process.exit(0), (err) => {
    process.stderr.write(`client.js: ${err.stack || err}\n`);
    process.exit(1);
  });
}

main();
