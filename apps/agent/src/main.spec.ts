import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, killAll, spawnAgent, noBrokerEnv } from './agent-process.test-helper.js';
import { ENV_VARS } from './env-vars.js';

// Every variable invalid at once: the agent must name each one, so a user fixes them in one go.
const ALL_INVALID: Record<string, string> = {
  MQTT_BROKER_HOST: 'mqtt://nope',
  MQTT_BROKER_PORT: '99999',
  MQTT_URL: 'http://x',
  MQTT_CLIENT_ID: 'with space',
  MQTT_KEEPALIVE: 'soon',
  MQTT_TLS: 'perhaps',
  MACHINE_ID: 'a/b',
  PUBLISH_INTERVAL: '-1',
  SIM_SEED: 'x',
  SIM_TIME_SCALE: '0',
  SIM_SCENARIO: '/no/such/shift.yaml',
  TOPIC_ROOT: 'plc/#',
  OUTBOX_MAX_MESSAGES: '0',
  OUTBOX_OVERFLOW: 'block',
  SHUTDOWN_TIMEOUT: 'never',
  LOG_LEVEL: 'loud',
  LOG_FORMAT: 'yaml',
  SUMMARY_INTERVAL: '-3',
};

describe.concurrent('agent command line', () => {
  beforeAll(assertBuilt);
  afterAll(killAll);

  it('--help lists every variable with its default and exits 0', async () => {
    const agent = spawnAgent({ MQTT_PASSWORD: 'hunter2' }, ['--help']);
    expect(await agent.exited).toBe(0);
    const help = agent.stdout.join('\n');
    for (const v of ENV_VARS) expect(help).toContain(v.name);
    expect(help).toMatch(/MQTT_BROKER_PORT\n.*\n\s+default: 1883/);
    expect(help).toMatch(/PUBLISH_INTERVAL\n.*\n\s+default: 2\.0/);
    expect(help).not.toContain('hunter2');
  });

  it('stops with exit code 2 naming the variable, its value and what is allowed', async () => {
    const agent = spawnAgent({ PUBLISH_INTERVAL: 'fast' });
    expect(await agent.exited).toBe(2);
    expect(agent.stderr.join('\n')).toContain(
      'Invalid PUBLISH_INTERVAL="fast": not a number of seconds. Allowed: seconds, greater than 0',
    );
    expect(agent.stdout).toEqual([]);
  });

  it('stops with exit code 2 naming SIM_SCENARIO and the field of a wrong scenario file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-scenario-'));
    const file = join(dir, 'shift.yaml');
    writeFileSync(file, 'disturbances:\n  infeedJam: { mtbfMinutes: never }\n');
    try {
      const agent = spawnAgent({ SIM_SCENARIO: file });
      expect(await agent.exited).toBe(2);
      const stderr = agent.stderr.join('\n');
      expect(stderr).toContain(`Invalid SIM_SCENARIO=${JSON.stringify(file)}`);
      expect(stderr).toContain(`${JSON.stringify(file)}: disturbances.infeedJam.mtbfMinutes`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names every invalid variable in one run, with exit code 2', async () => {
    const agent = spawnAgent(ALL_INVALID);
    expect(await agent.exited).toBe(2);
    const stderr = agent.stderr.join('\n');
    for (const [name, value] of Object.entries(ALL_INVALID))
      expect(stderr).toContain(`Invalid ${name}=${JSON.stringify(value)}`);
  });

  it('never prints a password, not even in the error about it', async () => {
    const agent = spawnAgent({ MQTT_PASSWORD: 'hunter2' });
    expect(await agent.exited).toBe(2);
    expect(agent.stderr.join('\n')).toContain(
      'Invalid MQTT_PASSWORD=(hidden): is set without MQTT_USERNAME',
    );
    expect([...agent.stdout, ...agent.stderr].join('\n')).not.toContain('hunter2');
  });

  it('keeps scanning with no broker, says why, and still stops cleanly on SIGTERM (exit 0), reporting what was never delivered', async () => {
    const agent = spawnAgent({
      ...(await noBrokerEnv()),
      PUBLISH_INTERVAL: '0.1',
      SUMMARY_INTERVAL: '0.2',
      SHUTDOWN_TIMEOUT: '1',
    });
    await agent.line(/WARN\s+cannot connect, will retry .*code=CONNECTION_REFUSED .*hint=/);
    await agent.line(/ summary scans=([2-9]|\d\d)/);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    expect(agent.stderr.join('\n')).toMatch(/never acknowledged undelivered=\d+/);
    expect(agent.stdout.at(-1)).toMatch(/INFO\s+stopped$/);
  });

  it('refuses an unknown argument with exit code 2', async () => {
    const agent = spawnAgent({}, ['--interval=1']);
    expect(await agent.exited).toBe(2);
    expect(agent.stderr.join('\n')).toContain('unknown argument "--interval=1"');
  });
});
