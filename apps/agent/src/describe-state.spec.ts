import { MqttClientError } from '@ot-mqtt/mqtt-client';
import { describe, expect, it } from 'vitest';
import { describeState } from './describe-state.js';

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
