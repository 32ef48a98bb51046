import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createBrokerTest } from '@ot-mqtt/broker/testing';
import { afterEach, expect } from 'vitest';
import { startViewer, waitFor, type ViewerProcess } from './viewer-process.test-helper.js';

// The agent is another app: started from its build, as a user would, never imported.
const AGENT_MAIN = fileURLToPath(new URL('../../agent/dist/main.js', import.meta.url));
const it = createBrokerTest();
const viewers: ViewerProcess[] = [];
const agents: ChildProcess[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) agent.kill('SIGKILL');
  await Promise.all(viewers.splice(0).map((v) => v.stop()));
});

it.skipIf(!existsSync(AGENT_MAIN))(
  'decodes a Sparkplug edge node it joined late: unknown aliases → rebirth request → births → named data',
  async ({ broker }) => {
    const { hostname, port } = new URL(broker.url);
    const env = { MQTT_BROKER_HOST: hostname, MQTT_BROKER_PORT: port };
    const agentLog: string[] = [];
    const agent = spawn(process.execPath, [AGENT_MAIN], {
      env: {
        PATH: process.env['PATH'] ?? '',
        ...env,
        PAYLOAD_FORMAT: 'sparkplug',
        SPARKPLUG_EDGE_NODE_ID: 'viewer-e2e',
        PUBLISH_INTERVAL: '0.1',
        SIM_TIME_SCALE: '20',
        SUMMARY_INTERVAL: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    agents.push(agent);
    agent.stdout?.on('data', (chunk: Buffer) => agentLog.push(chunk.toString('utf8')));
    await waitFor(
      () => agentLog.join('').includes('Sparkplug births sent'),
      30_000,
      () => agentLog.join(''),
    );

    // The viewer arrives after the births: the first DDATA names aliases it has never seen.
    const viewer = startViewer({ ...env, VIEWER_TOPIC: 'spBv1.0/#', VIEWER_MODE: 'ndjson' });
    viewers.push(viewer);
    const late = await viewer.waitForRecord(
      (r) => r['type'] === 'DDATA' && r['rebirthRequested'] === true,
      'a DDATA with unknown aliases and a rebirth request',
    );
    expect((late['problems'] as string[]).join(' ')).toMatch(/unknown alias|before its NBIRTH/u);
    await viewer.waitForRecord((r) => r['type'] === 'NBIRTH', 'the NBIRTH the request caused');
    const dbirth = await viewer.waitForRecord((r) => r['type'] === 'DBIRTH', 'the DBIRTH');
    expect(dbirth['deviceId']).toBe('filler-01');
    expect((dbirth['metrics'] as { name: string }[]).map((m) => m.name)).toContain(
      'Analog/FillLevel',
    );
    await waitFor(
      () =>
        viewer
          .records()
          .slice(viewer.records().findIndex((r) => r['type'] === 'DBIRTH'))
          .some(
            (r) =>
              r['type'] === 'DDATA' &&
              (r['problems'] as string[]).length === 0 &&
              (r['metrics'] as { name: string | null }[]).every((m) => m.name !== null),
          ),
      30_000,
      () => viewer.stdout.join('\n'),
    );
    expect(agentLog.join('')).toContain('rebirth requested');
  },
);
