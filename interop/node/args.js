'use strict';
// A small flag parser shared by server.js and client.js: "--name value",
// "--name=value", and repeated flags (collected into an array under the name
// when the flag is listed in `repeated`). A flag with no value is "true".

function parseArgs(argv, repeated = []) {
  const out = {};
  for (const name of repeated) out[name] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(arg)}`);
    let name = arg.slice(2);
    let value;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      value = argv[++i];
    } else {
      value = 'true';
    }
    if (repeated.includes(name)) out[name].push(value);
    else out[name] = value;
  }
  return out;
}

module.exports = { parseArgs };
