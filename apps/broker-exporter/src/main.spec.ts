import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createBrokerTest } from '@ot-mqtt/broker/testing';
import { freePort } from '@ot-mqtt/broker';
import { describe, expect } from 'vitest';
import { ENV } from './config.js';

const MAIN = resolve(import.meta.dirname, '..', 'dist', 'main.js');
const it = createBrokerTest({ extra: 'sys_interval 1' });

describe.skipIf(!existsSync(MAIN))('broker-exporter (built: npx nx build broker-exporter)', () => {
  it('refuses bad variables with exit 2, naming each', () => {
    const run = spawnSync(process.execPath, [MAIN], {
      env: {
        PATH: process.env['PATH'],
        METRICS_PORT: 'http',
        MQTT_URL: 'http://x',
        SYS_STALE_AFTER: '-1',
      },
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Invalid METRICS_PORT="http"');
    expect(run.stderr).toContain('Invalid MQTT_URL="http://x"');
    expect(run.stderr).toContain('Invalid SYS_STALE_AFTER="-1"');
  });

  it('lists its variables in --help', () => {
    const run = spawnSync(process.execPath, [MAIN, '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    for (const v of ENV) expect(run.stdout).toContain(`  ${v.name}\n`);
  });

  it('serves the broker as up on /metrics and stops cleanly on SIGTERM', async ({
    freshBroker,
  }) => {
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env['PATH'], MQTT_URL: freshBroker.url, METRICS_PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      await expect
        .poll(
          async () => {
            const text = await fetch(`http://127.0.0.1:${port}/metrics`).then(
              (r) => r.text(),
              () => '',
            );
            return /^otmqtt_broker_up 1$/mu.test(text);
          },
          { timeout: 20_000 },
        )
        .toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
