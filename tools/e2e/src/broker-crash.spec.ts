import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createBrokerTest } from '@ot-mqtt/broker/testing';
import { afterEach, describe, expect, vi } from 'vitest';
import { assertAlive, killAll, startAgent, startViewer } from './processes.test-helper.js';
import { completeScans, connected, events, records } from './viewer-output.test-helper.js';

const mtimeMs = (path: string): number => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
};

// The project's development config, persistence on (it autosaves every 5 s).
const it = createBrokerTest({ persistence: true });
const poll = (timeout: number) => ({ timeout, interval: 25 });
afterEach(killAll);

describe('the system across a broker crash', () => {
  it('kill -9 and restart of Mosquitto (persistence on) mid-run: agent and viewer recover without a restart, and the viewer reports no lost scan', async ({
    freshBroker: broker,
  }) => {
    const root = 'e2e/crash/plc/bottlefiller';
    const url = broker.url;
    // A fixed client id gives the viewer a persistent session: the broker queues its QoS 1
    // messages while it is away, so it must see every scan.
    const viewer = startViewer(
      {
        MQTT_URL: url,
        TOPIC_ROOT: root,
        MQTT_CLIENT_ID: 'e2e-viewer-crash',
        VIEWER_STATS_INTERVAL: '1',
      },
      ['--ndjson'],
    );
    await connected(viewer, 30_000);
    const subscribedAt = Date.now();
    const agent = startAgent({
      MQTT_URL: url,
      TOPIC_ROOT: root,
      MQTT_CLIENT_ID: 'e2e-agent-crash',
      PUBLISH_INTERVAL: '0.2',
      SUMMARY_INTERVAL: '0.5',
    });
    const alive = () => assertAlive(agent, viewer);
    await vi.waitFor(() => {
      alive();
      if (completeScans(records(viewer)).length < 3)
        throw new Error(`three scans before the crash${agent.dump()}${viewer.dump()}`);
    }, poll(45_000));
    // A kill -9 loses whatever the broker has not autosaved: the viewer's session (subscription)
    // must be on disk first, or the restarted broker would not know to queue for it.
    const db = join(broker.runDir, 'data', 'mosquitto.db');
    await expect
      .poll(() => mtimeMs(db), { ...poll(30_000), message: 'an autosave after the subscription' })
      .toBeGreaterThan(subscribedAt);

    await broker.kill();
    const agentLinesAtCrash = agent.stdout.length;
    await vi.waitFor(() => {
      alive();
      if (!events(viewer).some((e) => e['status'] === 'reconnecting'))
        throw new Error(`the viewer to notice the crash${viewer.dump()}`);
    }, poll(30_000));
    // The agent keeps scanning while the broker is down: wait until its summary shows scans buffered.
    await vi.waitFor(() => {
      alive();
      const buffered = agent.stdout
        .slice(agentLinesAtCrash)
        .some((l) => / summary /.test(l) && Number(/ outbox=(\d+)/.exec(l)?.[1] ?? 0) >= 14);
      if (!buffered)
        throw new Error(`two scans buffered by the agent while the broker is down${agent.dump()}`);
    }, poll(30_000));
    const scansAtRestart = Math.max(
      ...agent.stdout.map((l) => Number(/ summary .*scans=(\d+)/.exec(l)?.[1] ?? -1)),
    );
    await broker.restart();

    // Every scan, including those taken during the outage, until well after the restart.
    const target = scansAtRestart + 5;
    await vi.waitFor(() => {
      alive();
      if (!completeScans(records(viewer)).some((s) => s >= target))
        throw new Error(
          `scan ${target} at the viewer after the restart${agent.dump()}${viewer.dump()}`,
        );
    }, poll(60_000));
    expect(events(viewer).filter((e) => e['status'] === 'connected').length).toBeGreaterThanOrEqual(
      2,
    );
    expect(agent.stdout.filter((l) => /INFO\s+connected/.test(l)).length).toBeGreaterThanOrEqual(2);

    // Sequence numbers contiguous from the first scan (0) on, every scan complete (7 topics).
    const data = records(viewer).filter((r) => r.kind === 'data' && !r.error);
    const seen = new Set(data.map((r) => r.sequence));
    const max = Math.max(...data.map((r) => r.sequence ?? -1));
    const lost = Array.from({ length: max + 1 }, (_, i) => i).filter((s) => !seen.has(s));
    expect(lost).toEqual([]);
    expect(records(viewer).filter((r) => r.error)).toEqual([]);
    // The viewer's own account agrees: no gap reported, none left missing in its statistics.
    expect(events(viewer).filter((e) => e.event === 'gap')).toEqual([]);
    expect(await viewer.stop(30_000)).toBe(0);
    const stats = events(viewer).filter((e) => e.event === 'stats');
    const last = stats.at(-1)?.['machines'] as { machineId: string; missing: number }[] | undefined;
    expect(last).toEqual([expect.objectContaining({ machineId: 'filler-01', missing: 0 })]);
    expect(await agent.stop(30_000)).toBe(0);
  });
});
