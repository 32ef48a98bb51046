import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { freePort } from '@ot-mqtt/broker';
import { firstValueFrom, toArray } from 'rxjs';
import { describe, expect } from 'vitest';
import { clientTest as it } from './client-test.test-helper.js';
import {
  createMqttClient,
  MqttClientError,
  type MqttClient,
  type MqttClientOptions,
  type ReconnectingState,
} from './index.js';
import { first, reach } from './test-support.test-helper.js';

const thrown = (fn: () => unknown): MqttClientError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof MqttClientError) return error;
    throw error;
  }
  throw new Error('did not throw');
};

const reconnecting = (c: MqttClient) =>
  first(c.state$, (s) => s.status === 'reconnecting') as Promise<ReconnectingState>;

describe('bad input gets a specific error, never a crash or a hang', () => {
  it.each([
    ['not a url', 'INVALID_URL', /not a valid URL/],
    ['http://localhost:1883', 'INVALID_URL', /"http:" is not supported/],
    ['', 'INVALID_URL', /non-empty/],
  ])('malformed URL %j → %s', (url, code, message) => {
    const error = thrown(() => createMqttClient({ url }));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('keeps credentials of a malformed URL out of the error message', () => {
    const error = thrown(() => createMqttClient({ url: 'mqttx://bob:s3cret@host:1883' }));
    expect(error.message).not.toContain('s3cret');
  });

  it.each([
    [{ protocolVersion: 3 }, /protocolVersion must be 4/],
    [{ keepaliveSeconds: -1 }, /keepaliveSeconds must be a number from 0/],
    [{ outbox: { overflow: 'drop-newest' } }, /outbox.overflow/],
    [{ sessionExpirySeconds: 10 }, /needs protocolVersion 5/],
    [{ reconnect: { initialDelayMs: 5000, maxDelayMs: 100 } }, /maxDelayMs/],
    [{ will: { topic: 'a/#', payload: 'x' } }, /will.topic/],
    [{ noDelay: 'yes' }, /noDelay must be true or false, got "yes"/],
  ])('invalid option %j → INVALID_OPTIONS naming it', (extra, message) => {
    const error = thrown(() =>
      createMqttClient({ url: 'mqtt://localhost:1', ...(extra as object) } as MqttClientOptions),
    );
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.message).toMatch(message);
  });

  it('unreachable host: state$ shows reconnecting with ECONNREFUSED in words', async ({
    makeClient: make,
  }) => {
    const port = await freePort();
    const c = make({ url: `mqtt://127.0.0.1:${port}`, reconnect: { initialDelayMs: 50 } });
    const s = await reconnecting(c);
    expect(s.lastError.code).toBe('CONNECTION_REFUSED');
    expect(s.lastError.message).toMatch(/connection refused.*ECONNREFUSED/);
    expect(s.attempt).toBe(2);
    expect(s.nextRetryAt.getTime()).toBeGreaterThan(Date.now() - 1000);
  });

  it('unknown host name: HOST_NOT_FOUND', async ({ makeClient: make }) => {
    const c = make({ url: 'mqtt://no-such-host.invalid:1883', reconnect: { initialDelayMs: 50 } });
    const s = await reconnecting(c);
    expect(s.lastError.code).toBe('HOST_NOT_FOUND');
  });

  it('wrong password: BAD_CREDENTIALS / NOT_AUTHORIZED with the return code, password never shown', async ({
    startBroker,
    makeClient: make,
  }) => {
    const dir = await mkdtemp(join(tmpdir(), 'ot-mqtt-auth-'));
    const passwd = join(dir, 'passwd');
    await writeFile(passwd, '');
    execFileSync('mosquitto_passwd', ['-b', passwd, 'operator', 'right-password']);
    const conf = join(dir, 'mosquitto.conf');
    await writeFile(
      conf,
      [
        'listener 1883',
        'allow_anonymous false',
        `password_file ${passwd}`,
        'log_dest file /mosquitto/log/mosquitto.log',
        'log_type all',
        'connection_messages true',
      ].join('\n'),
    );
    const broker = await startBroker({ configFile: conf, persistence: false });
    for (const protocolVersion of [4, 5] as const) {
      const c = make({
        url: broker.url.replace('mqtt://', 'mqtt://operator:wrong-pass@'),
        protocolVersion,
        clientId: `auth-${protocolVersion}`,
        reconnect: { initialDelayMs: 50 },
      });
      const s = await reconnecting(c);
      expect(['BAD_CREDENTIALS', 'NOT_AUTHORIZED']).toContain(s.lastError.code);
      expect(s.lastError.reasonCode).toBe(protocolVersion === 4 ? 5 : 0x87);
      expect(s.lastError.message).toMatch(/refused the connection: not authorised/);
      expect(s.lastError.message).not.toContain('wrong-pass');
      expect(c.url).not.toContain('wrong-pass');
      await c.close();
    }
    // Asked to, the client gives up on refused credentials instead of retrying.
    const quitter = make({
      url: broker.url,
      username: 'operator',
      password: 'wrong-pass',
      reconnect: { giveUpOn: ['BAD_CREDENTIALS', 'NOT_AUTHORIZED'] },
    });
    const closed = await reach(quitter, 'closed');
    expect(closed.reason).toMatchObject({ code: 'NOT_AUTHORIZED', reasonCode: 5 });
    const ok = make({ url: broker.url, username: 'operator', password: 'right-password' });
    await reach(ok, 'connected');
  });

  it('observe() of an invalid filter errors that stream with INVALID_FILTER', async ({
    makeClient: make,
  }) => {
    const c = make({ url: `mqtt://127.0.0.1:${await freePort()}` });
    await expect(firstValueFrom(c.observe('a/#/b'))).rejects.toMatchObject({
      code: 'INVALID_FILTER',
    });
    await expect(firstValueFrom(c.observe('a+'))).rejects.toMatchObject({ code: 'INVALID_FILTER' });
  });

  it('publish() to a topic with a wildcard rejects with INVALID_TOPIC and queues nothing', async ({
    makeClient: make,
  }) => {
    const c = make({ url: `mqtt://127.0.0.1:${await freePort()}` });
    await expect(c.publish('plc/+/data', 'x')).rejects.toMatchObject({ code: 'INVALID_TOPIC' });
    await expect(c.publish('plc/#', 'x', { qos: 1 })).rejects.toMatchObject({
      code: 'INVALID_TOPIC',
    });
    await expect(c.publish('plc/a', 42 as unknown as string, { qos: 1 })).rejects.toMatchObject({
      code: 'INVALID_PAYLOAD',
    });
    expect(c.stats().outboxDepth).toBe(0);
  });

  it('after close(): publish rejects with CLOSED, observe errors with CLOSED, streams are complete', async ({
    makeClient: make,
  }) => {
    const c = make({ url: `mqtt://127.0.0.1:${await freePort()}` });
    const events = firstValueFrom(c.events$.pipe(toArray()));
    await c.close();
    expect(c.state).toEqual({ status: 'closed', reason: 'user' });
    await expect(c.publish('a', 'x')).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(firstValueFrom(c.observe('a'))).rejects.toMatchObject({ code: 'CLOSED' });
    await events; // completes
    await expect(firstValueFrom(c.state$.pipe(toArray()))).resolves.toEqual([
      { status: 'closed', reason: 'user' },
    ]);
  });
});
