// Commands against a real Mosquitto: the agent runs in-process (startAgent, as main.ts starts it),
// the HMI is mqtt.js over MQTT 5 (response topic + correlation data) or MQTT 3.1.1, and the
// third-party tools are mosquitto_rr / mosquitto_pub as an integrator would type them.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterEach, describe, expect, vi } from 'vitest';
import mqtt from 'mqtt';
import type { MqttClient as MqttJs } from 'mqtt';
import { brokerTest as it, mosquittoPub } from '@ot-mqtt/broker/testing';
import type { CommandReply, PackmlPayload, StatusPayload } from '@ot-mqtt/tag-model';
import { loadConfig } from '../config.js';
import type { LogFields, Logger } from '@ot-mqtt/app-kit';
import { startAgent, type RunningAgent } from '../start-agent.js';

const run = promisify(execFile);

interface LogLine {
  level: string;
  message: string;
  fields: LogFields | undefined;
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

function collectingLogger(lines: LogLine[]): Logger {
  const log = (level: string) => (message: string, fields?: LogFields) =>
    void lines.push({ level, message, fields });
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  } as Logger;
}

function agentOn(url: string, env: Record<string, string> = {}) {
  const port = new URL(url).port;
  const loaded = loadConfig({
    MQTT_BROKER_HOST: '127.0.0.1',
    MQTT_BROKER_PORT: port,
    PUBLISH_INTERVAL: '0.2',
    SIM_TIME_SCALE: '5',
    SUMMARY_INTERVAL: '0',
    SIM_SEED: '7',
    MQTT_CLIENT_ID: `agent-${randomUUID()}`,
    ...env,
  });
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('; '));
  const logs: LogLine[] = [];
  const agent: RunningAgent = startAgent(loaded.config, collectingLogger(logs), undefined, {
    publishPackml: true,
  });
  cleanups.push(() => agent.stop());
  return { agent, logs };
}

/** An HMI: sends commands and collects everything it receives, by topic. */
async function hmi(url: string, protocolVersion: 4 | 5, topics: string[]) {
  const client: MqttJs = await mqtt.connectAsync(url, { protocolVersion, reconnectPeriod: 0 });
  cleanups.push(() => client.endAsync());
  const received: Array<{ topic: string; json: unknown; correlation?: string; retain: boolean }> =
    [];
  client.on('message', (topic, payload, packet) => {
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      json = payload.toString('utf8');
    }
    const correlation = packet.properties?.correlationData?.toString('utf8');
    received.push({ topic, json, retain: packet.retain, ...(correlation ? { correlation } : {}) });
  });
  if (topics.length > 0) await client.subscribeAsync(topics, { qos: 1 });
  const responseTopic = `hmi/${randomUUID()}/reply`;
  if (protocolVersion === 5) await client.subscribeAsync(responseTopic, { qos: 1 });
  return {
    client,
    received,
    on: <T>(topic: string) => received.filter((m) => m.topic === topic).map((m) => m.json as T),
    /** Publishes a command and resolves with its reply (MQTT 5 request/response). */
    async request(
      payload: unknown,
      topic = 'plc/bottlefiller/command',
      properties: Record<string, unknown> = {},
      timeout = 15_000,
    ): Promise<CommandReply> {
      const correlation = randomUUID();
      await client.publishAsync(topic, JSON.stringify(payload), {
        qos: 1,
        properties: {
          responseTopic,
          correlationData: Buffer.from(correlation),
          ...properties,
        },
      });
      return vi.waitFor(
        () => {
          const m = received.find(
            (r) => r.topic === responseTopic && r.correlation === correlation,
          );
          if (!m) throw new Error(`no reply to ${JSON.stringify(payload)}`);
          return m.json as CommandReply;
        },
        { timeout, interval: 20 },
      );
    },
  };
}

/**
 * Waits until the agent takes commands: a command sent before its command connection subscribed
 * is lost, as with any MQTT subscriber. `auto` changes nothing on a line already in auto.
 */
async function ready(h: Awaited<ReturnType<typeof hmi>>, topic = 'plc/bottlefiller/command') {
  let attempt = 0;
  await vi.waitFor(
    () => h.request({ command: 'auto', requestId: `ready-${++attempt}` }, topic, {}, 300),
    { timeout: 20_000, interval: 50 },
  );
}

const packmlState = (h: { on: <T>(t: string) => T[] }, topic = 'plc/bottlefiller/packml') =>
  h.on<PackmlPayload>(topic).at(-1)?.state;

describe('commands (single filler, real Mosquitto)', () => {
  it('answers every accepted and refused command with its reason, the status tags and the PackML state', async ({
    broker,
  }) => {
    agentOn(broker.url);
    const h = await hmi(broker.url, 5, ['plc/bottlefiller/packml']);
    await ready(h);
    await expect.poll(() => packmlState(h), { timeout: 15_000 }).toBe('Execute');
    let n = 0;
    const step = async (
      command: string,
      accepted: boolean,
      reason?: string | RegExp,
      fault?: string,
      settle?: string,
    ) => {
      const requestId = `step-${++n}-${command}`;
      const reply = await h.request({ command, requestId, ...(fault ? { fault } : {}) });
      expect(reply, `${command} #${n}`).toMatchObject({
        requestId,
        accepted,
        machineId: 'filler-01',
      });
      if (reason instanceof RegExp) expect(reply.reason).toMatch(reason);
      else if (reason !== undefined) expect(reply.reason).toBe(reason);
      else expect(reply.reason).toBeUndefined();
      expect(Object.keys(reply.state).sort()).toEqual([
        'AutoMode',
        'Fault',
        'Filling',
        'Ready',
        'SystemRunning',
      ]);
      // Acting states (Stopping, Resetting, …) end within a scan; wait for the wait state.
      if (settle) await expect.poll(() => packmlState(h), { timeout: 15_000 }).toBe(settle);
      return reply;
    };
    const stopped = await step('stop', true, undefined, undefined, 'Stopped');
    expect(stopped.state.SystemRunning).toBe(false);
    await step('stop', false, 'already stopped (state Stopped)');
    await step('start', false, 'reset first: the machine starts from Idle (state Stopped)');
    await step('reset', true, undefined, undefined, 'Idle');
    const started = await step('start', true, undefined, undefined, 'Execute');
    expect(started.state.SystemRunning).toBe(true);
    await step('hold', true, undefined, undefined, 'Held');
    await step('hold', false, 'already held (state Held)');
    await step('start', false, 'unhold to resume (state Held)');
    await step('unhold', true, undefined, undefined, 'Execute');
    await step('unhold', false, 'nothing to unhold (state Execute)');
    await step('start', false, 'already running (state Execute)');
    const manual = await step('manual', true, undefined, undefined, 'Stopped');
    expect(manual.state.AutoMode).toBe(false);
    await step('manual', false, 'already in manual (mode Manual)');
    await step('reset', true, undefined, undefined, 'Idle');
    await step('start', false, 'switch to auto first (mode Manual)');
    await step('auto', true);
    await step('auto', false, 'already in auto (mode Production)');
    const aborted = await step('abort', true, undefined, undefined, 'Aborted');
    expect(aborted.state.Fault).toBe(true);
    await step('abort', false, 'already aborted (state Aborted)');
    await step(
      'stop',
      false,
      'the machine is aborted: reset (or clear) the fault instead (state Aborted)',
    );
    await step('start', false, 'reset the fault first (state Aborted: aborted by the operator)');
    await step('clear', true, undefined, undefined, 'Stopped');
    await step('clear', false, 'nothing to clear: clear is accepted in Aborted (state Stopped)');
    await step('reset', true, undefined, undefined, 'Idle');
    await step('start', true, undefined, undefined, 'Execute');
    await step('clear-fault', false, 'no fault is injected');
    await step('inject-fault', true, undefined, 'jamValve', 'Aborted');
    await step('inject-fault', false, 'jamValve is already injected', 'jamValve');
    const faulted = await step('start', false, /^reset the fault first \(state Aborted: overfill/);
    expect(faulted.state).toMatchObject({ Fault: true, Ready: false, SystemRunning: false });
    expect(faulted.packml).toMatchObject({
      state: 'Aborted',
      stateCode: 9,
      stopReason: { code: 10 },
    });
    await step('reset', false, /repair the fill valve first \(clear-fault jamValve\)$/);
    await step('clear-fault', false, 'missCap is not injected (injected: jamValve)', 'missCap');
    await step('clear-fault', true, undefined, 'jamValve');
    await step('reset', true, undefined, undefined, 'Idle');
    await step('start', true, undefined, undefined, 'Execute');
  });

  it('the next published scan reflects the command', async ({ broker }) => {
    agentOn(broker.url);
    const h = await hmi(broker.url, 5, ['plc/bottlefiller/status']);
    await expect
      .poll(() => h.on<StatusPayload>('plc/bottlefiller/status').length)
      .toBeGreaterThan(1);
    const reply = await h.request({ command: 'stop', requestId: 'next-scan' });
    expect(reply.accepted).toBe(true);
    const index = h.received.findIndex((m) => (m.json as CommandReply).requestId === 'next-scan');
    await expect
      .poll(() => h.received.slice(index).find((m) => m.topic === 'plc/bottlefiller/status'))
      .toBeDefined();
    const next = h.received.slice(index).find((m) => m.topic === 'plc/bottlefiller/status');
    expect((next!.json as StatusPayload).tags).toMatchObject({ SystemRunning: false });
  });

  it('publishes the PackML state retained, so a late subscriber gets it at once', async ({
    broker,
  }) => {
    agentOn(broker.url);
    const first = await hmi(broker.url, 5, []);
    await ready(first);
    const stopped = await first.request({ command: 'stop', requestId: 'p1' });
    expect(stopped.accepted).toBe(true);
    const late = await hmi(broker.url, 5, ['plc/bottlefiller/packml']);
    await expect
      .poll(() => late.received.find((m) => m.retain)?.json)
      .toMatchObject({
        schemaVersion: 1,
        machineId: 'filler-01',
        mode: 'Production',
        modeCode: 1,
        stopReason: { code: 1, text: 'stopped by the operator' },
      });
    expect(['Stopping', 'Stopped']).toContain(
      (late.received.find((m) => m.retain)!.json as PackmlPayload).state,
    );
  });

  it('answers an MQTT 3.1.1 client on <root>/command/reply', async ({ broker }) => {
    agentOn(broker.url);
    await ready(await hmi(broker.url, 5, []));
    const h = await hmi(broker.url, 4, ['plc/bottlefiller/command/reply']);
    await h.client.publishAsync(
      'plc/bottlefiller/command',
      JSON.stringify({ command: 'hold', requestId: 'v311' }),
      { qos: 1 },
    );
    await expect
      .poll(() => h.on<CommandReply>('plc/bottlefiller/command/reply'), { timeout: 15_000 })
      .toEqual([expect.objectContaining({ requestId: 'v311', accepted: true })]);
  });

  it('applies the same requestId once and answers it twice', async ({ broker }) => {
    const { logs } = agentOn(broker.url);
    const h = await hmi(broker.url, 5, []);
    await ready(h);
    const first = await h.request({ command: 'stop', requestId: 'twice' });
    const second = await h.request({ command: 'stop', requestId: 'twice' });
    expect(first).toMatchObject({ accepted: true });
    expect(first.duplicate).toBeUndefined();
    // Applied again it would be refused ("already stopped"): the first outcome is repeated.
    expect(second).toMatchObject({ requestId: 'twice', accepted: true, duplicate: true });
    expect(logs.filter((l) => l.message === 'command applied')).toHaveLength(1);
  });

  it('names the problem of a malformed command, logs it and keeps running', async ({ broker }) => {
    const { logs } = agentOn(broker.url);
    const h = await hmi(broker.url, 5, ['plc/bottlefiller/command/reply']);
    await ready(h);
    const typo = await h.request({ command: 'strat', requestId: 'bad-1' });
    expect(typo).toMatchObject({ requestId: 'bad-1', accepted: false });
    expect(typo.reason).toMatch(/^malformed command: command: must be one of start, stop/);
    const noFault = await h.request({ command: 'inject-fault', requestId: 'bad-2' });
    expect(noFault.reason).toBe(
      'malformed command: fault: inject-fault needs one of emptyTank, missCap, jamValve, starveValve, noBottles',
    );
    // No requestId, or not even JSON: nobody to answer, one log line each.
    for (const message of ['start now', '{"command":"start"}', '\u00ff\u00fe', '[]']) {
      const { code } = await mosquittoPub({
        url: broker.url,
        topic: 'plc/bottlefiller/command',
        message,
        qos: 1,
      });
      expect(code).toBe(0);
    }
    await expect
      .poll(() =>
        logs.filter((l) => l.message === 'malformed command').map((l) => l.fields?.reason),
      )
      .toEqual([
        expect.stringMatching(/^command: must be one of/),
        expect.stringMatching(/^fault: inject-fault needs/),
        'payload is not JSON',
        'missing requestId',
        'payload is not JSON',
        expect.stringMatching(/^payload must be a JSON object/),
      ]);
    expect(h.on('plc/bottlefiller/command/reply')).toEqual([]);
    const ok = await h.request({ command: 'stop', requestId: 'after-garbage' });
    expect(ok.accepted).toBe(true);
  });

  it('never applies a retained command (it would be applied again on every restart)', async ({
    broker,
  }) => {
    const h = await hmi(broker.url, 4, ['plc/bottlefiller/command/reply']);
    await h.client.publishAsync(
      'plc/bottlefiller/command',
      JSON.stringify({ command: 'stop', requestId: 'retained-1' }),
      { qos: 1, retain: true },
    );
    cleanups.push(() =>
      h.client.publishAsync('plc/bottlefiller/command', '', { qos: 1, retain: true }),
    );
    // The agent starts later and gets the retained message when it subscribes: refused.
    const { logs } = agentOn(broker.url);
    await expect
      .poll(() => h.on<CommandReply>('plc/bottlefiller/command/reply'), { timeout: 15_000 })
      .toEqual([
        expect.objectContaining({
          requestId: 'retained-1',
          accepted: false,
          reason: 'retained command not applied: publish commands with retain false',
          state: expect.objectContaining({ SystemRunning: true }),
        }),
      ]);
    expect(logs.filter((l) => l.message === 'command applied')).toEqual([]);
  });

  it('does not apply a command whose MQTT 5 message expiry passed while the agent was away', async ({
    broker,
  }) => {
    const clientId = `agent-expiry-${randomUUID()}`;
    const first = agentOn(broker.url, { MQTT_CLIENT_ID: clientId });
    const h = await hmi(broker.url, 5, []);
    await ready(h);
    expect((await h.request({ command: 'stop', requestId: 'warm-up' })).accepted).toBe(true);
    // A clean shutdown keeps the agent's MQTT 5 session (expiry 1 h): the broker queues its commands.
    await first.agent.stop();
    await h.client.publishAsync(
      'plc/bottlefiller/command',
      JSON.stringify({ command: 'hold', requestId: 'expired' }),
      { qos: 1, properties: { messageExpiryInterval: 1 } },
    );
    const stillValid = h.request({ command: 'abort', requestId: 'still-valid' }, undefined, {
      messageExpiryInterval: 600,
    });
    // Not synchronisation: the expiry interval has to elapse while the agent is away.
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    const second = agentOn(broker.url, { MQTT_CLIENT_ID: clientId });
    expect(await stillValid).toMatchObject({ accepted: true });
    const applied = second.logs.filter((l) => l.message.startsWith('command '));
    expect(applied.map((l) => l.fields?.requestId)).toEqual(['still-valid']);
  });
});

describe('commands (fleet, real Mosquitto)', () => {
  it('takes <root>/<machineId>/command per machine and replies on its own reply topic', async ({
    broker,
  }) => {
    agentOn(broker.url, { FILLER_COUNT: '3' });
    await ready(await hmi(broker.url, 5, []), 'plc/bottlefiller/filler-0003/command');
    const h = await hmi(broker.url, 4, [
      'plc/bottlefiller/+/command/reply',
      'plc/bottlefiller/+/packml',
    ]);
    await h.client.publishAsync(
      'plc/bottlefiller/filler-0002/command',
      JSON.stringify({ command: 'stop', requestId: 'fleet-1' }),
      { qos: 1 },
    );
    await expect
      .poll(() => h.on<CommandReply>('plc/bottlefiller/filler-0002/command/reply'), {
        timeout: 15_000,
      })
      .toEqual([
        expect.objectContaining({ requestId: 'fleet-1', accepted: true, machineId: 'filler-0002' }),
      ]);
    await expect
      .poll(() => packmlState(h, 'plc/bottlefiller/filler-0002/packml'), { timeout: 15_000 })
      .toBe('Stopped');
    expect(packmlState(h, 'plc/bottlefiller/filler-0001/packml')).toBe('Execute');
    expect(packmlState(h, 'plc/bottlefiller/filler-0003/packml')).toBe('Execute');
    expect(h.on('plc/bottlefiller/filler-0001/command/reply')).toEqual([]);
  });

  it('works with mosquitto_rr, the request/response tool of Mosquitto', async ({ broker }) => {
    agentOn(broker.url, { FILLER_COUNT: '2' });
    await ready(await hmi(broker.url, 5, []), 'plc/bottlefiller/filler-0002/command');
    const port = new URL(broker.url).port;
    const { stdout } = await run('mosquitto_rr', [
      '-h',
      '127.0.0.1',
      '-p',
      port,
      '-t',
      'plc/bottlefiller/filler-0001/command',
      '-e',
      'hmi/rr/replies',
      '-m',
      '{"command":"hold","requestId":"rr-1"}',
      '-W',
      '20',
    ]);
    expect(JSON.parse(stdout)).toMatchObject({
      requestId: 'rr-1',
      accepted: true,
      machineId: 'filler-0001',
      packml: { state: 'Holding', stateCode: 10 },
    });
  });
});
