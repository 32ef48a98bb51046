import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { freePort } from '@ot-mqtt/broker';
import { brokerTest as it } from '@ot-mqtt/broker/testing';
import { ENV_VARS, helpText } from './config.js';
import {
  createPublisher,
  getJson,
  runGateway,
  startGatewayProcess,
  storedSequences,
  untilStored,
  waitFor,
  waitReady,
  type GatewayProcess,
} from './gateway-process.test-helper.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('gateway process', () => {
  let dir: string;
  const gateways: GatewayProcess[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-main-'));
  });
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((g) => g.kill()));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
  });
  const env = (
    broker: { readonly url: string },
    name: string,
    extra: Record<string, string> = {},
  ) => ({
    MQTT_URL: broker.url,
    HISTORIAN_DB: join(dir, name, 'historian.sqlite'),
    MQTT_CLIENT_ID: `gw-${name}`,
    GATEWAY_SHARE_GROUP: `g-${name}`,
    ...extra,
  });

  it('--help lists every variable and exits 0', async () => {
    const r = await runGateway({}, ['--help']);
    expect(r.code).toBe(0);
    // The process prints the very table config.ts validates with (the built one, as users run it).
    expect(r.stdout).toBe(helpText());
    for (const v of ENV_VARS) expect(r.stdout).toContain(`  ${v.name}\n`);
  });

  it('exits 2 on bad values, naming each variable and never echoing a secret', async () => {
    const r = await runGateway({
      GATEWAY_PORT: '99999',
      HISTORIAN_RETENTION_DAYS: 'forever',
      HISTORIAN_DB: 'mysql://db/x',
      GATEWAY_TOKEN: 'short\u0001secret',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Invalid GATEWAY_PORT="99999": above the maximum 65535/);
    expect(r.stderr).toMatch(/Invalid HISTORIAN_RETENTION_DAYS="forever"/);
    expect(r.stderr).toMatch(/Invalid HISTORIAN_DB="mysql:\/\/db\/x"/);
    expect(r.stderr).toMatch(/Invalid GATEWAY_TOKEN=\(hidden\)/);
    expect(r.stderr).not.toContain('secret');
  });

  it('exits 1 naming the database (never its password) when it cannot be reached at start', async ({
    broker,
  }) => {
    const port = await freePort(); // nothing listens there
    const pg = await runGateway({
      MQTT_URL: broker.url,
      GATEWAY_PORT: '0',
      HISTORIAN_DB: `postgres://gw:pg-secret@127.0.0.1:${port}/historian`,
    });
    expect(pg.code).toBe(1);
    expect(pg.stderr).toMatch(
      new RegExp(
        `gateway failed to start .*cannot open the historian database postgres://gw:\\*\\*\\*@127\\.0\\.0\\.1:${port}/historian: connect ECONNREFUSED`,
      ),
    );
    expect(pg.stderr + pg.stdout).not.toContain('pg-secret');
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    const sqlite = await runGateway({
      MQTT_URL: broker.url,
      GATEWAY_PORT: '0',
      HISTORIAN_DB: join(blocker, 'historian.sqlite'),
    });
    expect(sqlite.code).toBe(1);
    expect(sqlite.stderr).toContain(
      `cannot open the historian database ${join(blocker, 'historian.sqlite')}`,
    );
  });

  it('reads the token from GATEWAY_TOKEN_FILE and never prints it', async ({ broker }) => {
    const tokenFile = join(dir, 'token.txt');
    writeFileSync(tokenFile, 'file-token-0123456789\n');
    const gw = await startGatewayProcess(env(broker, 'token', { GATEWAY_TOKEN_FILE: tokenFile }));
    gateways.push(gw);
    expect((await fetch(`${gw.url}/api/machines`)).status).toBe(401);
    const ok = await fetch(`${gw.url}/api/machines`, {
      headers: { authorization: 'Bearer file-token-0123456789' },
    });
    expect(ok.status).toBe(200);
    expect(gw.output()).not.toContain('file-token');
  });

  it('stores scans from the fleet, rejects malformed messages without crashing, and reports ready', async ({
    broker,
  }) => {
    const gw = await startGatewayProcess(env(broker, 'basic'));
    gateways.push(gw);
    await waitReady(gw);
    const pub = await createPublisher(broker.url);
    try {
      await pub.client.publishAsync('plc/bottlefiller/filler-09/data', '{not json', { qos: 1 });
      await pub.client.publishAsync('plc/bottlefiller/filler-09/data', '{"schemaVersion":1}', {
        qos: 1,
      });
      for (const n of range(20)) await pub.publishScan('filler-07', n);
      expect(await untilStored(gw, 'filler-07', 20)).toEqual(range(20));
      const machines = await getJson<Array<{ machineId: string; lastSequence: number }>>(
        `${gw.url}/api/machines`,
      );
      expect(machines?.body.map((m) => m.machineId)).toEqual(['filler-07']);
      expect(gw.output()).toMatch(/message rejected/);
      expect((await getJson(`${gw.url}/readyz`))?.status).toBe(200);
    } finally {
      await pub.close();
    }
  });

  it('works over MQTT 3.1.1 without a shared subscription (GATEWAY_SHARE_GROUP=none), as with the embedded broker', async ({
    broker,
  }) => {
    const gw = await startGatewayProcess(
      env(broker, 'v4', { MQTT_PROTOCOL_VERSION: '4', GATEWAY_SHARE_GROUP: 'none' }),
    );
    gateways.push(gw);
    await waitReady(gw);
    const pub = await createPublisher(broker.url);
    try {
      for (const n of range(10)) await pub.publishScan('filler-v4', n);
      expect(await untilStored(gw, 'filler-v4', 10)).toEqual(range(10));
    } finally {
      await pub.close();
    }
  });

  it('kill -9 at any moment, restart: the history of each machine has every sequence exactly once', async ({
    broker,
  }) => {
    const machines = ['filler-a', 'filler-b', 'filler-c'];
    const N = 300;
    let gw = await startGatewayProcess(env(broker, 'kill9'));
    await waitReady(gw);
    const pub = await createPublisher(broker.url);
    let published = 0;
    const publishing = (async () => {
      for (const n of range(N)) {
        await Promise.all(machines.map((m) => pub.publishScan(m, n)));
        published = n + 1;
      }
    })();
    try {
      // Three crashes while scans flow, at moments that differ from run to run.
      for (let crash = 0; crash < 3; crash++) {
        const target = Math.min(N, published + 30 + Math.floor(Math.random() * 60));
        await waitFor(
          () => published >= target || published === N,
          30_000,
          () => `published ${published}`,
        );
        await gw.kill();
        gw = await startGatewayProcess(env(broker, 'kill9'));
      }
      gateways.push(gw);
      await publishing;
      await waitFor(
        async () => {
          for (const m of machines) if ((await storedSequences(gw.url, m)).length < N) return false;
          return true;
        },
        45_000,
        () => `all ${N} scans of each machine stored\n${gw.output().slice(-2000)}`,
      );
      for (const m of machines) expect(await storedSequences(gw.url, m)).toEqual(range(N));
    } finally {
      gateways.push(gw);
      await publishing.catch(() => undefined);
      await pub.close();
    }
  });

  it('recovers from a broker kill -9 and restart: resubscribes and keeps storing', async ({
    startBroker,
  }) => {
    const own = await startBroker({ persistence: true });
    const gw = await startGatewayProcess(env(own, 'broker'));
    gateways.push(gw);
    try {
      await waitReady(gw);
      let pub = await createPublisher(own.url);
      for (const n of range(50)) await pub.publishScan('filler-r', n);
      await untilStored(gw, 'filler-r', 50);
      await pub.close();
      await own.kill();
      await waitFor(
        async () => (await getJson(`${gw.url}/readyz`))?.status === 503,
        20_000,
        () => 'readyz 503 while the broker is down',
      );
      const again = await own.restart();
      await waitReady(gw, 45_000);
      pub = await createPublisher(again.url);
      for (const n of range(50)) await pub.publishScan('filler-r', 50 + n);
      await pub.close();
      expect(await untilStored(gw, 'filler-r', 100, 30_000)).toEqual(range(100));
    } finally {
      await gw.kill();
    }
  });
});
