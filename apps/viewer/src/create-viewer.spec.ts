import type { ConnectionState } from '@ot-mqtt/mqtt-client';
import { describe, expect, it } from 'vitest';
import type { LogLevel, ViewerMode } from './config.js';
import { connectionMessage, received, scanMessages, testViewer } from './fixtures.test-helper.js';

// Imported the way main.ts does (lazily), which the module-boundary rule insists on.
const { MqttClientError } = await import('@ot-mqtt/mqtt-client');
const T0 = Date.parse('2025-01-15T08:00:00.000Z');

function setup(mode: ViewerMode, extra: { filter?: string; logLevel?: LogLevel } = {}) {
  const { viewer, messages, logs } = testViewer(mode, extra);
  const feedScan = (sequence: number, latency = 5) => {
    const at = new Date(T0 + sequence * 2000);
    for (const m of scanMessages(sequence, at))
      viewer.handleMessage(received(m.topic, m.payload), at.getTime() + latency);
  };
  return { viewer, messages, logs, feedScan };
}

describe('viewer core', () => {
  it('pretty mode shows all seven messages of a scan', () => {
    const { messages, feedScan } = setup('pretty');
    feedScan(1);
    expect(messages).toHaveLength(7);
    expect(messages[0]).toContain('plc/bottlefiller/data  filler-01 #1');
  });

  it('summary mode shows one block per scan and skips the group topics', () => {
    const { messages, feedScan } = setup('summary');
    feedScan(1);
    feedScan(2);
    expect(messages).toHaveLength(2);
    expect(messages[1]).toContain('filler-01  scan #2');
  });

  it('still shows invalid messages in summary mode', () => {
    const { viewer, messages } = setup('summary');
    viewer.handleMessage(received('plc/bottlefiller/alarms', 'oops'), T0);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('✗ invalid plc/bottlefiller/alarms');
  });

  it('reports a gap in words, between the scans that reveal it', () => {
    const { logs, feedScan } = setup('summary');
    feedScan(1);
    feedScan(4);
    expect(logs.filter((l) => l.includes('missing'))).toEqual([
      expect.stringContaining('WARN  filler-01: 2 scans missing (#2–#3) on data'),
    ]);
  });

  it('does not call the share of another viewer a gap under a shared subscription', () => {
    const { logs, feedScan } = setup('ndjson', { filter: '$share/g/plc/bottlefiller/#' });
    feedScan(1);
    feedScan(3);
    expect(logs.some((l) => l.includes('"gap"'))).toBe(false);
  });

  it('shows the retained connection topic and its interval', () => {
    const { viewer, logs } = setup('summary');
    const { topic, payload } = connectionMessage('online', new Date(T0), 2000);
    viewer.handleMessage(received(topic, payload, { retain: true }), T0 + 5000);
    expect(logs).toEqual([
      expect.stringContaining(
        'filler-01: agent ONLINE, publishing every 2.0 s (retained: last known state)',
      ),
    ]);
  });

  it('flags a silent machine stale and reports when data resumes', () => {
    const { viewer, logs, feedScan } = setup('summary');
    for (let s = 0; s < 4; s++) feedScan(s);
    viewer.checkStale(T0 + 3 * 2000 + 5 + 4001);
    expect(logs.at(-1)).toContain(
      'filler-01: STALE — no data for 4.0 s (more than 2 × its 2.0 s interval)',
    );
    feedScan(6);
    expect(logs.some((l) => l.includes('data resumed'))).toBe(true);
  });

  it('reports connection state changes with a hint for what to check', () => {
    const { viewer, logs } = setup('pretty');
    const states: ConnectionState[] = [
      { status: 'connecting', attempt: 1 },
      {
        status: 'reconnecting',
        attempt: 2,
        nextRetryAt: new Date(T0 + 1500),
        lastError: new MqttClientError('CONNECTION_REFUSED', 'connect ECONNREFUSED 127.0.0.1:1883'),
      },
      { status: 'connected', sessionPresent: false, since: new Date() },
    ];
    for (const s of states) viewer.handleState(s, T0);
    expect(logs[0]).toContain('INFO  connecting to mqtt://localhost:1883 (attempt 1)');
    expect(logs[1]).toContain(
      'WARN  not connected: connect ECONNREFUSED 127.0.0.1:1883 [CONNECTION_REFUSED] — nothing accepts connections there: is the broker running',
    );
    expect(logs[1]).toContain('attempt 2 in 1.5 s');
    expect(logs[2]).toContain('INFO  connected to mqtt://localhost:1883 (new session)');
  });

  it('says that a NATS cluster has no $share when a shared subscription is refused', () => {
    const filter = '$share/viewers/plc/bottlefiller/#';
    const { viewer, logs } = setup('pretty', { filter });
    viewer.handleSubscribeError(new MqttClientError('SUBSCRIBE_REJECTED', 'refused'), T0);
    expect(logs.at(-1)).toContain(`cannot subscribe to ${filter}`);
    expect(logs.at(-1)).toContain('$share is not supported on a NATS cluster');
  });

  it('writes report lines as JSON in NDJSON mode and honours LOG_LEVEL', () => {
    const { viewer, logs, feedScan } = setup('ndjson', { logLevel: 'warn' });
    viewer.handleState({ status: 'connected', sessionPresent: true, since: new Date() }, T0);
    feedScan(1);
    feedScan(3);
    expect(logs.map((l) => JSON.parse(l))).toEqual([
      {
        event: 'gap',
        at: expect.any(String),
        level: 'warn',
        machineId: 'filler-01',
        kind: 'data',
        from: 2,
        to: 2,
        missing: 1,
      },
    ]);
  });

  it('summarises every machine in the statistics, or says nothing has arrived yet', () => {
    const empty = setup('summary');
    empty.viewer.reportStats(T0);
    expect(empty.logs[0]).toContain('no messages yet on plc/bottlefiller/#');
    const { viewer, logs, feedScan } = setup('summary');
    for (let s = 0; s < 10; s++) feedScan(s, 4);
    viewer.reportStats(T0 + 20_000);
    expect(logs.at(-1)).toMatch(
      /filler-01: 3\.5 msg\/s, 10 scans, 0 missing, 0 duplicates, 0 restarts, 0 invalid, latency p50 4 ms p99 4 ms \(status unknown\)/,
    );
  });
});
