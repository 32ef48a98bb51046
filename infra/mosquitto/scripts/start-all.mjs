#!/usr/bin/env node
// `npm start`: broker + agent + viewer (+ gateway serving the web dashboard) in one terminal, live
// bottle-filler data within seconds.
// Plain JavaScript so it runs on a fresh clone before anything is built; it builds first (Nx
// caches: the next start skips the work), then uses the built broker logic (serve-broker.ts).
//
// Settings: everything `npx nx serve broker --help` lists (MQTT_BROKER_PORT, MQTT_WS_PORT,
// MQTT_BIND_ADDRESS, OT_MQTT_BROKER, OT_MQTT_RUN_DIR), every agent, viewer and gateway variable
// (passed through: PUBLISH_INTERVAL, VIEWER_MODE, GATEWAY_PORT, ...), and OT_MQTT_SKIP_BUILD=1 /
// --no-build.
/* global setTimeout, clearTimeout */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const GATEWAY_MAIN = join(ROOT, 'apps', 'gateway', 'dist', 'main.js');
/** The gateway (REST history, serves the dashboard) joins once the repository has it. */
const HAS_GATEWAY = existsSync(join(ROOT, 'apps', 'gateway', 'package.json'));
const APPS = [
  // The viewer and the gateway first, so they are subscribed before the agent's first scan.
  { name: 'viewer', main: join(ROOT, 'apps', 'viewer', 'dist', 'main.js') },
  ...(HAS_GATEWAY ? [{ name: 'gateway', main: GATEWAY_MAIN }] : []),
  { name: 'agent', main: join(ROOT, 'apps', 'agent', 'dist', 'main.js') },
];
/** How long the agent and viewer get to flush and disconnect before SIGKILL. */
const STOP_TIMEOUT_MS = 10_000;

const useColour = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code, text) => (useColour ? `\u001b[${code}m${text}\u001b[0m` : text);
const PREFIX = {
  start: paint('1', '[start] '),
  build: paint('2', '[build] '),
  broker: paint('35', '[broker]'),
  agent: paint('34', '[agent] '),
  viewer: paint('36', '[viewer]'),
  gateway: paint('33', '[gateway]'),
  relay: paint('35', '[relay] '),
};
const say = (who, text) => process.stdout.write(`${PREFIX[who]} ${text}\n`);
/** Prefixes every whole line of a child's output stream. */
function relay(stream, who, keep = () => true) {
  let partial = '';
  stream.on('data', (chunk) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (keep(line)) say(who, line);
  });
  stream.on('end', () => partial && keep(partial) && say(who, partial));
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    [
      'Usage: npm start [-- --no-build]',
      '',
      'Builds (cached), then starts a broker (Mosquitto with infra/mosquitto/config/mosquitto.conf, or the',
      'embedded aedes broker; an MQTT broker already answering on MQTT_BROKER_PORT is used instead),',
      'the agent, the viewer (summary view) and the gateway, which serves the web dashboard. When the',
      'broker has no MQTT-over-WebSocket listener (a system Mosquitto on 1883), a relay on MQTT_WS_PORT',
      '(default 9001) gives the dashboard one. Ctrl-C stops all of them.',
      '',
      'Broker settings: see `npx nx serve broker --help`. Agent and viewer settings: their --help',
      '(node apps/agent/dist/main.js --help). OT_MQTT_SKIP_BUILD=1 or --no-build skips the build.',
      '',
    ].join('\n'),
  );
  process.exit(0);
}

// --- 1. build ----------------------------------------------------------------------------------
if (!args.includes('--no-build') && process.env.OT_MQTT_SKIP_BUILD !== '1') {
  say('start', 'building the apps and the dashboard (Nx caches it: quick after the first time)');
  // Streamed with a prefix, so a first build (a minute on a slow machine) shows its progress.
  const build = spawn(
    'npx',
    [
      'nx',
      'run-many',
      '-t',
      'build',
      '-p',
      'agent',
      'viewer',
      'broker',
      'dashboard',
      ...(HAS_GATEWAY ? ['gateway'] : []),
      '--output-style=static',
    ],
    { cwd: ROOT, env: { NX_DAEMON: 'false', ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  for (const stream of [build.stdout, build.stderr])
    relay(stream, 'build', (line) => line.trim() !== '');
  const [code, signal] = await new Promise((done) => build.once('exit', (c, s) => done([c, s])));
  if (code !== 0) {
    say('start', `the build failed (${signal ?? `exit code ${code}`}); see above`);
    process.exit(1);
  }
}

const brokerModule = join(ROOT, 'infra', 'mosquitto', 'dist', 'index.js');
for (const file of [brokerModule, ...APPS.map((a) => a.main)]) {
  if (!existsSync(file)) {
    say('start', `${file} is missing: run \`npm run build\` (or drop --no-build)`);
    process.exit(1);
  }
}
const {
  parseServeOptions,
  serveBroker,
  describeBroker,
  followFile,
  ServeOptionError,
  canConnect,
  startWsRelay,
} = await import(pathToFileURL(brokerModule).href);

// --- Ctrl-C (installed before anything starts, so nothing is left behind whenever it comes) ------
const children = new Map();
let stopping = false;
let broker;
let brokerStarting;
let brokerLog;
let wsRelay;

async function shutdown(exitCode) {
  if (stopping) return;
  stopping = true;
  // The agent first: its last scans and its offline status still reach the viewer and gateway.
  for (const name of ['agent', 'viewer', 'gateway']) {
    const child = children.get(name);
    if (!child) continue;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      say('start', `the ${name} did not stop within ${STOP_TIMEOUT_MS / 1000} s: killing it`);
      child.kill('SIGKILL');
    }, STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
  // A broker still starting is waited for, then stopped: it runs in its own process group and
  // would outlive us otherwise.
  broker ??= await brokerStarting?.catch(() => undefined);
  await wsRelay?.close();
  await broker?.stop();
  await brokerLog?.stop();
  say('start', 'stopped');
  process.exit(exitCode);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (!stopping) say('start', `${signal}: stopping the apps and the broker`);
    void shutdown(0);
  });
}
// Last resort if this script dies of an error: never leave the apps running.
process.once('exit', () => {
  for (const child of children.values()) child.kill('SIGKILL');
});

// --- 2. broker ---------------------------------------------------------------------------------
let options;
try {
  options = parseServeOptions(process.env);
} catch (error) {
  if (!(error instanceof ServeOptionError)) throw error;
  say('start', error.message);
  process.exit(2);
}
const host = process.env.MQTT_BROKER_HOST;
const remote =
  host !== undefined && host !== '' && !['localhost', '127.0.0.1', '::1'].includes(host);
if (remote) {
  // The user points us at their own broker: start none, just the apps.
  broker = { kind: 'remote', url: `mqtt://${host}:${options.port}`, stop: async () => {} };
  say(
    'broker',
    `using MQTT_BROKER_HOST=${host} port ${options.port} (not starting a local broker)`,
  );
} else {
  try {
    // Own process group: the terminal's Ctrl-C reaches this script only, which stops the apps
    // first (the agent flushes and announces itself offline) and the broker last.
    brokerStarting = serveBroker(options, { detached: true });
    broker = await brokerStarting;
  } catch (error) {
    say('broker', error.message);
    process.exit(1);
  }
  // Ctrl-C while the broker started: shutdown() stops it and exits; go no further.
  if (stopping) await new Promise(() => {});
  say('broker', describeBroker(broker).replace(/^broker: /, ''));
}
// Mosquitto's warnings and errors (e.g. "Outgoing messages are being dropped for client …") in
// this terminal; the rest stays in its log file.
brokerLog =
  broker.kind === 'mosquitto'
    ? await followFile(broker.logFile, (line) => {
        if (/\b(Warning|Error):/.test(line) && !line.includes('should not be run as root')) {
          say('broker', line);
        }
      })
    : undefined;
const brokerUrl = new URL(broker.url);

// --- 2b. a WebSocket path for the dashboard -------------------------------------------------------
// Browsers speak MQTT only over WebSockets. A broker we started has a WebSocket listener; one that
// was already running (Debian's mosquitto service on 1883 has none) gets a relay in front of it.
let dashboardMqttUrl = process.env.DASHBOARD_MQTT_URL || broker.wsUrl;
if (!dashboardMqttUrl) {
  const wsHost = remote ? '127.0.0.1' : brokerUrl.hostname;
  if (options.wsPort !== 0 && (await canConnect(options.wsPort, wsHost))) {
    dashboardMqttUrl = `ws://${wsHost}:${options.wsPort}`;
    say(
      'relay',
      `port ${options.wsPort} is taken: assuming it is the broker's MQTT-over-WebSocket listener (else set DASHBOARD_MQTT_URL=ws://host:port, or MQTT_WS_PORT=<free port> for a relay)`,
    );
  } else {
    try {
      wsRelay = await startWsRelay({
        port: options.wsPort,
        host: '127.0.0.1',
        brokerHost: brokerUrl.hostname,
        brokerPort: Number(brokerUrl.port),
      });
      dashboardMqttUrl = wsRelay.url;
      say(
        'relay',
        `the broker has no WebSocket listener: relaying ${wsRelay.url} → ${broker.url} for the dashboard`,
      );
    } catch (error) {
      say(
        'relay',
        `could not relay WebSockets on port ${options.wsPort} (${error.message}): the dashboard has no broker path. ` +
          `Add "listener 9001" + "protocol websockets" to the broker's config, or set MQTT_WS_PORT=<free port>`,
      );
    }
  }
}

// --- 3. viewer and agent -----------------------------------------------------------------------

function startApp({ name, main }) {
  const env = {
    ...process.env,
    MQTT_BROKER_HOST: brokerUrl.hostname,
    MQTT_BROKER_PORT: brokerUrl.port,
    ...(name === 'viewer' && !process.env.VIEWER_MODE ? { VIEWER_MODE: 'summary' } : {}),
    ...(name === 'gateway' && dashboardMqttUrl ? { DASHBOARD_MQTT_URL: dashboardMqttUrl } : {}),
    ...(useColour && !process.env.NO_COLOR ? { FORCE_COLOR: '1' } : {}),
  };
  // One client id for two clients makes the broker kick each out in turn (session takeover):
  // MQTT_CLIENT_ID set for `npm start` is the agent's; the viewer keeps its own random id.
  if (name !== 'agent') delete env.MQTT_CLIENT_ID;
  // The embedded aedes broker speaks MQTT 3.1.1 only and has no shared subscriptions.
  if (name === 'gateway' && broker.kind === 'aedes') {
    env.MQTT_PROTOCOL_VERSION ??= '4';
    env.GATEWAY_SHARE_GROUP ??= 'none';
  }
  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.set(name, child);
  child.once('error', (error) => {
    say('start', `could not start the ${name}: ${error.message}`);
    void shutdown(1);
  });
  for (const stream of [child.stdout, child.stderr]) relay(stream, name);
  child.once('exit', (code, signal) => {
    children.delete(name);
    if (stopping) return;
    say(
      'start',
      `the ${name} ended on its own (${signal ?? `exit code ${code}`}); stopping everything`,
    );
    void shutdown(code === 0 || code === null ? 1 : code);
  });
  return child;
}

// Ctrl-C during the steps above: shutdown() is already stopping what exists; start nothing more.
if (stopping) await new Promise(() => {});
for (const app of APPS) startApp(app);
const pids = [...children].map(([name, child]) => `${name} pid ${child.pid}`);
if (broker.kind === 'mosquitto') pids.unshift(`broker pid ${broker.pid}`);
say('start', `running: ${pids.join(', ')}. Ctrl-C stops all of them.`);
if (HAS_GATEWAY) {
  const gatewayHost = process.env.GATEWAY_HOST || '127.0.0.1';
  const shownHost = ['0.0.0.0', '::'].includes(gatewayHost) ? '127.0.0.1' : gatewayHost;
  say(
    'start',
    `dashboard: http://${shownHost}:${process.env.GATEWAY_PORT || '8080'}/ (live data over ${dashboardMqttUrl ?? 'no WebSocket path, see above'})`,
  );
} else {
  say('start', 'dashboard: the gateway (apps/gateway) that serves it is not in this checkout yet');
}

if (broker.kind === 'mosquitto') {
  void broker.exited.then(({ code, signal }) => {
    if (stopping) return;
    say(
      'start',
      `Mosquitto ended on its own (${signal ?? `exit code ${code}`}); see ${broker.logFile}`,
    );
    void shutdown(1);
  });
}
