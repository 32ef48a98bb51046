import { MqttClientError } from '@ot-mqtt/mqtt-client';
import { describe, expect, it } from 'vitest';
import { CONNECTION_HINTS, connectionHint } from './connection-hints.js';
import { describeConnectionState as describeState } from './describe-connection-state.js';

const URL = 'mqtt://broker:1883';

describe('connection state log lines', () => {
  it('logs the first attempt and the connect at info, with the session flag', () => {
    expect(describeState({ status: 'connecting', attempt: 1 }, URL)).toEqual({
      level: 'info',
      message: 'connecting',
      fields: { url: URL, attempt: 1 },
    });
    expect(
      describeState({ status: 'connected', sessionPresent: true, since: new Date(0) }, URL),
    ).toMatchObject({ level: 'info', message: 'connected', fields: { sessionPresent: true } });
  });

  it('keeps later attempts of an outage at debug so a long outage does not flood the log', () => {
    expect(describeState({ status: 'connecting', attempt: 7 }, URL).level).toBe('debug');
  });

  it('says why a connection was refused and what to check', () => {
    const record = describeState(
      {
        status: 'reconnecting',
        attempt: 3,
        nextRetryAt: new Date('2025-03-01T08:30:04.000Z'),
        lastError: new MqttClientError('BAD_CREDENTIALS', 'bad user name or password', 4),
      },
      URL,
    );
    expect(record).toEqual({
      level: 'warn',
      message: 'still cannot connect, will retry',
      fields: {
        url: URL,
        nextAttempt: 3,
        retryAt: '2025-03-01T08:30:04.000Z',
        code: 'BAD_CREDENTIALS',
        reason: 'bad user name or password',
        returnCode: 4,
        hint: expect.stringContaining('MQTT_USERNAME'),
      },
    });
  });

  it('logs a final failure at error and a requested close at info', () => {
    const takenOver = new MqttClientError('SESSION_TAKEN_OVER', 'session taken over', 0x8e);
    expect(describeState({ status: 'closed', reason: takenOver }, URL)).toMatchObject({
      level: 'error',
      fields: { code: 'SESSION_TAKEN_OVER', hint: expect.stringContaining('MQTT_CLIENT_ID') },
    });
    expect(describeState({ status: 'closed', reason: 'user' }, URL)).toMatchObject({
      level: 'info',
      message: 'disconnected',
    });
  });
});

describe('connection state wording', () => {
  const retry = (code: 'CONNECTION_LOST' | 'CONNECTION_REFUSED', attempt: number) =>
    describeState(
      {
        status: 'reconnecting',
        attempt,
        nextRetryAt: new Date(0),
        lastError: new MqttClientError(code, code),
      },
      URL,
    ).message;

  it('tells a lost connection from a broker that was never reached', () => {
    expect(retry('CONNECTION_LOST', 1)).toBe('connection lost, will retry');
    expect(retry('CONNECTION_REFUSED', 2)).toBe('cannot connect, will retry');
    expect(retry('CONNECTION_REFUSED', 5)).toBe('still cannot connect, will retry');
  });
});

describe('connection hints (issue 9, item 10)', () => {
  it('names the password first when Mosquitto answers "not authorised" (rc 5) to a wrong password', () => {
    const hint = connectionHint('NOT_AUTHORIZED')!;
    const first = ['MQTT_PASSWORD', 'MQTT_USERNAME', 'ACL', 'certificate']
      .map((word) => ({ word, at: hint.indexOf(word) }))
      .filter((w) => w.at >= 0)
      .sort((a, b) => a.at - b.at)[0];
    expect(first?.word).toBe('MQTT_PASSWORD');
    expect(hint).toMatch(/password first/);
  });

  it('has one table: every code a user can fix names a variable or the broker side to check', () => {
    for (const code of [
      'CONNECTION_REFUSED',
      'HOST_NOT_FOUND',
      'TLS_ERROR',
      'BAD_CREDENTIALS',
    ] as const)
      expect(CONNECTION_HINTS[code]).toMatch(/MQTT_[A-Z_]+/);
    expect(connectionHint('SUBSCRIBE_REJECTED')).toMatch(/ACL/);
    expect(connectionHint('OUTBOX_FULL')).toBeUndefined();
  });
});
