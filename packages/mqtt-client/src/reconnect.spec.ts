import { describe, expect } from 'vitest';
import { createClientTest } from './client-test.test-helper.js';
import type { ClientEvent, ReconnectingState } from './index.js';
import { FAST_RECONNECT, first, probe, reach, text } from './test-support.test-helper.js';

const it = createClientTest({ extra: 'log_type all' });

describe('reconnecting through broker crashes and restarts', () => {
  it('broker restarted without persistence: subscriptions come back once, the outbox is republished in order', async ({
    crashableBroker: broker,
    makeClient: make,
  }) => {
    const c = make({ url: broker.url, clientId: 'np-client', reconnect: FAST_RECONNECT });
    const events: ClientEvent[] = [];
    c.events$.subscribe((e) => events.push(e));
    const got: string[] = [];
    c.observe('np/a', { qos: 1 }).subscribe((m) => got.push(text(m.payload)));
    c.observe('np/a', { qos: 1 }).subscribe(); // a second observer: still one subscription
    c.observe('np/b/#', { qos: 1 }).subscribe();
    await probe(c, () => got.includes('probe'), 'np/a');

    await broker.stop();
    await first(c.state$, (s) => s.status === 'reconnecting');
    const offline = [1, 2, 3, 4, 5].map((i) => c.publish('np/a', `offline-${i}`, { qos: 1 }));
    expect(c.stats().outboxDepth).toBe(5);
    await broker.restart();
    await Promise.all(offline);
    await expect.poll(() => got.filter((g) => g.startsWith('offline')).length).toBe(5);

    expect(got.filter((g) => g !== 'probe')).toEqual([1, 2, 3, 4, 5].map((i) => `offline-${i}`));
    expect(events.filter((e) => e.type === 'resubscribed')).toEqual([
      { type: 'resubscribed', filters: ['np/a', 'np/b/#'] },
    ]);
    expect(events.filter((e) => e.type === 'session-lost')).toHaveLength(1);
    const log = await broker.readLog();
    // One SUBSCRIBE per broker life, at QoS 1 (not 0, not twice).
    expect(log.match(/\tnp\/a \(QoS 1\)/g)).toHaveLength(2);
    expect(log.match(/\tnp\/b\/# \(QoS 1\)/g)).toHaveLength(2);
    expect(log.match(/\(QoS 0\)/g)).toBeNull();
  });

  it('detects a half-open connection by keepalive and reconnects; the QoS 1 message sent into the void arrives', async ({
    broker,
    makeClient: make,
    tcpProxy,
  }) => {
    const proxy = await tcpProxy(broker.url);
    const c = make({
      url: `mqtt://127.0.0.1:${proxy.port}`,
      clientId: 'half-open',
      keepaliveSeconds: 2,
      connectTimeoutMs: 2_000,
      reconnect: { initialDelayMs: 200, maxDelayMs: 1_000 },
    });
    const watcher = make({ url: broker.url, clientId: 'half-open-watcher', clean: true });
    const got: string[] = [];
    watcher.observe('ho/#', { qos: 1 }).subscribe((m) => got.push(text(m.payload)));
    await reach(c, 'connected');
    await probe(watcher, () => got.includes('probe'), 'ho/probe');

    proxy.blackhole(true);
    const sent = c.publish('ho/data', 'into-the-void', { qos: 1 });
    const lost = (await first(
      c.state$,
      (s) => s.status === 'reconnecting',
      15_000,
    )) as ReconnectingState;
    expect(lost.lastError.code).toBe('KEEPALIVE_TIMEOUT');
    proxy.blackhole(false);
    await reach(c, 'connected', 15_000);
    await sent;
    await expect.poll(() => got).toContain('into-the-void');
  });

  it('does not loop tightly against a broker that refuses every CONNACK: one CONNECT per attempt, growing delays', async ({
    startBroker,
    makeClient: make,
  }) => {
    const broker = await startBroker({
      persistence: false,
      extra: 'allow_anonymous false\nlog_type all',
    });
    const c = make({
      url: broker.url,
      clientId: 'refused',
      reconnect: { initialDelayMs: 50, maxDelayMs: 200, jitter: 0 },
    });
    const failedAt: number[] = [];
    c.events$.subscribe((e) => e.type === 'connect-failed' && failedAt.push(Date.now()));
    await expect.poll(() => failedAt.length).toBeGreaterThanOrEqual(6);
    await c.close();
    const gaps = failedAt.slice(1).map((t, i) => t - (failedAt[i] ?? t));
    // Timers never fire early, so each gap is at least the configured delay (a small margin for
    // the clock's rounding); a tight loop would show gaps of a few ms.
    [50, 100, 200, 200, 200].forEach((delay, i) =>
      expect(gaps[i]).toBeGreaterThanOrEqual(delay - 5),
    );
    const log = await broker.readLog();
    // Each refusal is one CONNACK (0, 5) in the broker's log: no hidden retries by mqtt.js.
    const refusals = log.match(/Sending CONNACK to .* \(0, 5\)/g)?.length ?? 0;
    expect(refusals).toBe(failedAt.length);
  });
});

describe('close()', () => {
  it('waits for in-flight QoS 1 acknowledgements, disconnects cleanly and completes every stream', async ({
    broker,
    makeClient: make,
  }) => {
    const c = make({
      url: broker.url,
      clientId: 'closer',
      will: { topic: 'closer/status', payload: 'offline', qos: 1 },
    });
    await reach(c, 'connected');
    let completed = 0;
    c.observe('closer/#').subscribe({ complete: () => completed++ });
    c.events$.subscribe({ complete: () => completed++ });
    const sends = Array.from({ length: 200 }, (_, i) =>
      c.publish('closer/n', String(i), { qos: 1 }),
    );
    await c.close({ timeoutMs: 10_000 });
    await expect(Promise.all(sends)).resolves.toHaveLength(200);
    expect(c.stats()).toMatchObject({ acknowledged: 200, dropped: 0, outboxDepth: 0 });
    expect(completed).toBe(2);
    expect(c.state).toEqual({ status: 'closed', reason: 'user' });
    // A DISCONNECT, not a dropped socket: the broker does not publish the will.
    await expect.poll(() => broker.readLog()).toMatch(/Client closer disconnected\./);
    expect(await broker.readLog()).not.toMatch(/Sending PUBLISH .*closer\/status/);
  });
});
