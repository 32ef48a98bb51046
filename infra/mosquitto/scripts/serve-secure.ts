// `npx nx run broker:serve-secure`: the PRODUCTION profile (TLS, passwords, ACL) on this machine.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { findMosquitto } from '../src/start-mosquitto.js';
import { DEFAULT_SECRETS_DIR, setupSecure } from '../src/security/setup-secure.js';
import {
  PRODUCTION_CONFIG_DIR,
  startSecureMosquitto,
} from '../src/security/start-secure-mosquitto.js';
import { scriptArgs } from './script-args.js';

const DEFAULT_RUN_DIR = resolve(PRODUCTION_CONFIG_DIR, '..', '..', 'run', 'secure');
const PORT_VARIABLES = [
  { name: 'MQTTS_PORT', listener: 8883, what: 'MQTT over TLS' },
  { name: 'MQTT_WSS_PORT', listener: 9443, what: 'MQTT over secure WebSockets' },
  {
    name: 'MQTT_CLIENT_CERT_PORT',
    listener: 8884,
    what: 'client certificates (--client-certificates)',
  },
  { name: 'MQTT_PLAINTEXT_PORT', listener: 1883, what: 'plaintext (--insecure-plaintext)' },
] as const;

const HELP = `Starts Mosquitto with the production profile (config/production/): TLS on 8883, secure
WebSockets on 9443, user names + passwords, ACL, no anonymous access, no plaintext port.
Creates development secrets first if there are none (npx nx run broker:setup-secure).

Usage: npx nx run broker:serve-secure [-- options]
  --bind <address>        address of the TCP listeners (default 127.0.0.1; 0.0.0.0 = every
                          interface). WebSocket listeners ignore it in Mosquitto 2.0: 9443 is
                          open on every interface whatever you choose.
  --client-certificates   also listener 8884: TLS with client certificates instead of passwords
  --insecure-plaintext    also listener 1883 WITHOUT encryption (still user name + password)
  --secrets <dir>         secrets folder made by setup-secure (default: ${DEFAULT_SECRETS_DIR});
                          the broker reads its broker/ part only
  --run-dir <dir>         config copy, persistence and log (default: ${DEFAULT_RUN_DIR})
  --help                  this text
Ports (environment; 0 = any free port):
${PORT_VARIABLES.map((v) => `  ${v.name.padEnd(22)}${String(v.listener).padEnd(6)}${v.what}`).join('\n')}
Site-specific files in config/production/conf.d/*.conf are included too.
`;

const values = scriptArgs('serve-secure', HELP, {
  bind: { type: 'string', default: '127.0.0.1' },
  'client-certificates': { type: 'boolean' },
  'insecure-plaintext': { type: 'boolean' },
  secrets: { type: 'string' },
  'run-dir': { type: 'string' },
});
if (!findMosquitto()) {
  console.error(
    'serve-secure: Mosquitto is not installed here (apt-get install -y mosquitto), and the embedded\n' +
      'development broker cannot enforce this profile. With Docker instead:\n' +
      '  docker compose -f infra/mosquitto/docker-compose.production.yml up',
  );
  process.exit(1);
}

const ports: Record<number, number> = {};
for (const { name, listener } of PORT_VARIABLES) {
  const raw = process.env[name];
  const port = raw === undefined || raw === '' ? listener : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(
      `serve-secure: ${name}=${raw} is not a TCP port: use 1-65535, or 0 for any free port`,
    );
    process.exit(2);
  }
  if (port !== 0) ports[listener] = port;
}

const secretsDir = resolve(values.secrets ?? DEFAULT_SECRETS_DIR);
const brokerDir = join(secretsDir, 'broker');
if (!existsSync(join(brokerDir, 'passwd')) || existsSync(join(secretsDir, 'ca.key'))) {
  console.log(`serve-secure: no secrets in ${brokerDir} yet — creating development ones`);
  await setupSecure({ dir: secretsDir });
}
const include: string[] = [];
if (values['client-certificates'])
  include.push(join(PRODUCTION_CONFIG_DIR, 'optional', 'client-certificate-listener.conf'));
if (values['insecure-plaintext'])
  include.push(join(PRODUCTION_CONFIG_DIR, 'optional', 'INSECURE-plaintext-listener.conf'));

const runDir = resolve(values['run-dir'] ?? DEFAULT_RUN_DIR);
let broker;
try {
  broker = await startSecureMosquitto({
    secretsDir: brokerDir,
    include,
    bindAddress: values.bind,
    ports,
    // Persistence survives restarts here (gitignored).
    runDir,
  });
} catch (error) {
  const reasons = await mosquittoErrors();
  console.error(`serve-secure: could not start Mosquitto: ${reasons || (error as Error).message}`);
  process.exit(1);
}

const lines = [
  `serve-secure: Mosquitto (pid ${broker.pid}), PRODUCTION profile, log ${broker.logFile}`,
  `  MQTT over TLS       ${broker.mqttsUrl}   (user name + password)`,
  `  secure WebSockets   ${broker.wssUrl}   (user name + password; open on EVERY interface — Mosquitto 2.0 ignores the bind address)`,
];
if (broker.clientCertUrl)
  lines.push(`  client certificates ${broker.clientCertUrl}   (certificate CN = user name)`);
lines.push(
  `  clients trust ${join(secretsDir, 'clients', 'ca.crt')}; passwords in ${join(secretsDir, 'clients')}/<user>.password`,
);
console.log(lines.join('\n'));
if (broker.plaintextUrl) {
  console.warn(
    [
      '',
      '  !!! INSECURE: plaintext listener ' +
        broker.plaintextUrl +
        ' is open (--insecure-plaintext).',
      '  !!! User names, passwords and PLC data cross it unencrypted. Use it only on this host.',
      '',
    ].join('\n'),
  );
}

let stopping = false;
const stop = async (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  console.log(`serve-secure: ${signal}, stopping`);
  await broker.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
void broker.exited.then(async ({ code, signal }) => {
  if (stopping) return;
  console.error(
    `serve-secure: Mosquitto (pid ${broker.pid}) ended on its own (${signal ?? `exit code ${code}`}): ` +
      ((await mosquittoErrors()) || `see ${broker.logFile}`),
  );
  process.exit(1);
});

/** Mosquitto's own reasons (a port in use, an unreadable certificate): in its log, not on stderr. */
async function mosquittoErrors(): Promise<string> {
  const log = await readFile(join(runDir, 'mosquitto.log'), 'utf8').catch(() => '');
  return log
    .split('\n')
    .filter((l) => /Error/.test(l))
    .slice(-1)
    .join('');
}
