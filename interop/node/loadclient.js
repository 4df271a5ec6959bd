'use strict';
// A socket.io-client v4 load loop, the yardstick gatecrash's generator is
// measured against: it runs N authenticated handshakes (websocket transport,
// CONNECT with {token}, a whoami with ack, close) against a loopback server,
// C at a time, and prints one JSON line with the handshakes done, the
// failures and the CPU this process spent (process.cpuUsage), so a caller can
// compare CPU per handshake with gatecrash's own client in the same run.
//
// Flags:
//   --url URL          http://127.0.0.1:PORT (loopback only; required)
//   --nsp NS           namespace (default "/")
//   --token T          the JWT sent in the auth payload (required)
//   --count N          handshakes (default 1000)
//   --concurrency C    handshakes in flight (default 16)
//   --timeout MS       bound on the whole run (default 60000)

const { io } = require('socket.io-client');
const { parseArgs } = require('./args');
const { isLoopback } = require('./server');

function loadConfig(argv) {
  const a = parseArgs(argv, []);
  if (!a.url || !a.token) throw new Error('--url and --token are required');
  const host = new URL(a.url).hostname.replace(/^\[|\]$/g, '');
  if (!isLoopback(host)) throw new Error(`--url ${a.url} is not a loopback address`);
  const num = (v, d) => {
    const n = Number(v === undefined ? d : v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`bad number ${v}`);
    return n;
  };
  return {
    url: a.url, nsp: a.nsp || '/', token: a.token, count: num(a.count, 1000),
    concurrency: num(a.concurrency, 16), timeoutMs: num(a.timeout, 60000),
  };
}

// one runs a single handshake and resolves true on an acknowledged whoami.
function one(cfg) {
  return new Promise((resolve) => {
    const s = io(cfg.url + (cfg.nsp === '/' ? '' : cfg.nsp), {
      transports: ['websocket'], upgrade: false, reconnection: false,
      forceNew: true, auth: { token: cfg.token }, timeout: 10000,
    });
    const done = (ok) => { s.close(); resolve(ok); };
    s.on('connect', () => s.timeout(10000).emit('whoami', (err) => done(!err)));
    s.on('connect_error', () => done(false));
  });
}

async function main() {
  const cfg = loadConfig(process.argv.slice(2));
  const timer = setTimeout(() => { process.stderr.write('timeout\n'); process.exit(1); }, cfg.timeoutMs);
  let next = 0;
  let ok = 0;
  let failed = 0;
  const start = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    while (next < cfg.count) {
      next++;
      if (await one(cfg)) ok++; else failed++;
    }
  };
  await Promise.all(Array.from({ length: cfg.concurrency }, worker));
  const cpu = process.cpuUsage(start);
  const wallNs = Number(process.hrtime.bigint() - t0);
  clearTimeout(timer);
  process.stdout.write(JSON.stringify({
    handshakes: ok, failed, cpu_us: cpu.user + cpu.system, wall_us: Math.round(wallNs / 1000),
  }) + '\n');
}

main().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(2); });
