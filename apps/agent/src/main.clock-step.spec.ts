import { brokerTest as it } from '@ot-mqtt/broker/testing';
import { TOPIC_KINDS } from '@ot-mqtt/tag-model';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { killAll, spawnAgent } from './agent-process.test-helper.js';

afterEach(killAll);

// Debian's `faketime` package (.ci/run installs it). libfaketime re-reads the offset file on every
// clock read (FAKETIME_NO_CACHE), so the test steps the agent's wall clock while it runs, like an
// NTP step or `date -s`; FAKETIME_DONT_FAKE_MONOTONIC leaves CLOCK_MONOTONIC alone, as the kernel does.
const LIBFAKETIME = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/faketime/libfaketime.so.1',
].find((p) => existsSync(p));

const HOUR_S = 3600;
const DAY_S = 24 * HOUR_S;
const INTERVAL_MS = 200;

describe.skipIf(LIBFAKETIME === undefined)('agent under a wall clock that steps (faketime)', () => {
  it('logs each step once and keeps publishing every interval, contiguous, with the new time', async ({
    broker,
    mosquittoSub,
  }) => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-clock-'));
    const offsetFile = join(dir, 'offset');
    writeFileSync(offsetFile, '+0');
    try {
      const root = 'test/clock-step';
      const topic = `${root}/${TOPIC_KINDS[0]}`;
      const sub = await mosquittoSub({ url: broker.url, topics: [topic] });
      const agent = spawnAgent({
        MQTT_URL: broker.url,
        TOPIC_ROOT: root,
        PUBLISH_INTERVAL: String(INTERVAL_MS / 1000),
        LOG_FORMAT: 'json',
        LD_PRELOAD: LIBFAKETIME!,
        FAKETIME_TIMESTAMP_FILE: offsetFile,
        FAKETIME_NO_CACHE: '1',
        FAKETIME_DONT_FAKE_MONOTONIC: '1',
      });
      const scans = () =>
        sub.messages().map((m) => {
          const { sequence, timestamp } = JSON.parse(m.payload) as {
            sequence: number;
            timestamp: string;
          };
          return { sequence, at: Date.parse(timestamp), receivedAt: m.receivedAt };
        });
      const steps = () =>
        agent.stderr.filter((l) => l.includes('wall clock stepped')).map((l) => JSON.parse(l));
      const timeouts = () => agent.stderr.filter((l) => l.includes('TimeoutOverflowWarning'));

      await expect.poll(() => scans().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
      writeFileSync(offsetFile, `-${HOUR_S}`);
      await expect.poll(() => steps().length, { timeout: 10_000 }).toBe(1);
      const afterBack = scans().length;
      await expect.poll(() => scans().length, { timeout: 10_000 }).toBeGreaterThan(afterBack + 10);
      writeFileSync(offsetFile, `+${30 * DAY_S}`);
      await expect.poll(() => steps().length, { timeout: 10_000 }).toBe(2);
      const afterForward = scans().length;
      await expect
        .poll(() => scans().length, { timeout: 10_000 })
        .toBeGreaterThan(afterForward + 10);
      agent.child.kill('SIGTERM');
      await agent.exited;

      expect(steps().map((s) => [s.direction, s.seconds])).toEqual([
        ['back', expect.closeTo(HOUR_S, 0)],
        ['forward', expect.closeTo(HOUR_S + 30 * DAY_S, 0)],
      ]);
      expect(timeouts()).toEqual([]);
      const all = scans();
      // Contiguous: no scan lost, none repeated, across both steps.
      expect(all.map((s) => s.sequence)).toEqual(all.map((_s, i) => all[0]!.sequence + i));
      // The timestamps follow the wall clock: an hour back, then thirty days (and the hour) ahead.
      const jumps = all.slice(1).map((s, i) => Math.round((s.at - all[i]!.at) / 1000 / HOUR_S));
      expect(jumps.filter((j) => j !== 0)).toEqual([-1, 30 * 24 + 1]);
      // Pacing follows the monotonic clock: as the subscriber (not under faketime) received them,
      // never a burst (10 scans need ≥ 9 intervals, less scheduling jitter) and never a stall.
      const received = all.map((s) => s.receivedAt);
      for (let i = 10; i < received.length; i++)
        expect(received[i]! - received[i - 10]!).toBeGreaterThan(9 * INTERVAL_MS * 0.7);
      const gaps = received.slice(1).map((r, i) => r - received[i]!);
      expect(Math.max(...gaps)).toBeLessThan(5 * INTERVAL_MS + 2000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
