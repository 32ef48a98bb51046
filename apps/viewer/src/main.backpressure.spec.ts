import { collectLines } from '@ot-mqtt/broker/testing';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { encodeConnection, encodeScan } from '@ot-mqtt/tag-model';
import { exampleTags } from '@ot-mqtt/tag-model/testing';
import { beforeAll, describe, expect } from 'vitest';
import {
  VIEWER_MAIN,
  assertBuilt,
  viewerTest as it,
  waitFor,
} from './viewer-process.test-helper.js';

// Issue 9 item 6: `viewer --ndjson | sleep 60` grew 56 → 273 MB after 300,000 messages because
// write()'s return value was ignored. The viewer now drops display lines beyond 4 MiB waiting for
// the reader and reports how many; this test stalls its stdout pipe for real.

function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/mu.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) / 1024;
}

describe.skipIf(process.platform !== 'linux')('viewer with a stalled stdout', () => {
  beforeAll(assertBuilt);

  it('drops display lines with a reported count, keeps tracking every message, memory bounded', async ({
    broker,
    publisher,
  }) => {
    const root = 'stall/plc/bottlefiller';
    const child = spawn(process.execPath, [VIEWER_MAIN, '--ndjson'], {
      env: {
        PATH: process.env['PATH'] ?? '',
        MQTT_URL: broker.url,
        TOPIC_ROOT: root,
        VIEWER_STATS_INTERVAL: '0',
        VIEWER_QOS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const stderr: string[] = [];
      collectLines(child.stderr, (line) => stderr.push(line));
      const events = () =>
        stderr.flatMap((l) => {
          try {
            return [JSON.parse(l) as Record<string, unknown>];
          } catch {
            return [];
          }
        });
      // The reader that never reads: once the pipe's 64 KiB are full the viewer's writes wait.
      child.stdout.pause();
      await waitFor(
        () => events().some((e) => e['status'] === 'connected'),
        20_000,
        () => stderr.join('\n'),
      );
      const pid = child.pid!;
      const tags = exampleTags();
      const start = Date.now();
      let sequence = 0;
      // Publishes `count` scans, then a connection announcement as a marker: messages are handled
      // in order, so once the viewer reports the marker it has read every scan before it.
      const publishScans = async (count: number, marker: 'online' | 'offline') => {
        let batch: Promise<unknown>[] = [];
        for (let i = 0; i < count; i++) {
          sequence++;
          const [data] = encodeScan(tags, {
            machineId: 'filler-01',
            sequence,
            timestamp: new Date(start + sequence),
            root,
          });
          batch.push(publisher.publishAsync(data!.topic, data!.payload, { qos: 0 }));
          if (batch.length >= 2000) {
            await Promise.all(batch);
            batch = [];
          }
        }
        await Promise.all(batch);
        const announcement = encodeConnection(marker, { machineId: 'filler-01', root });
        await publisher.publishAsync(announcement.topic, announcement.payload, { qos: 0 });
        await waitFor(
          () => events().some((e) => e['event'] === 'connection' && e['status'] === marker),
          120_000,
          () => stderr.slice(-5).join('\n'),
        );
      };
      // Warm-up: the heap grows to its working size and the output buffer fills to its bound.
      const warmup = 10_000;
      await publishScans(warmup, 'offline');
      const before = rssMiB(pid);
      const total = 60_000;
      await publishScans(total, 'online');
      const after = rssMiB(pid);
      console.log(
        `viewer RSS with stdout stalled: ${before.toFixed(0)} MiB → ${after.toFixed(0)} MiB (+${(after - before).toFixed(0)} MiB) after ${total} more scans (~${Math.round((total * 1.1) / 1024)} MiB of NDJSON)`,
      );
      // ~64 MiB more output would have been buffered before the fix.
      expect(after - before).toBeLessThan(24);

      // The reader comes back: the viewer says how many lines it could not show.
      const stdout: string[] = [];
      collectLines(child.stdout, (line) => stdout.push(line));
      child.stdout.resume();
      await waitFor(
        () => events().some((e) => e['event'] === 'output-dropped'),
        30_000,
        () => stderr.slice(-5).join('\n'),
      );
      expect(events().find((e) => e['event'] === 'output-dropped')).toMatchObject({
        level: 'warn',
        stream: 'stdout',
      });
      const droppedLines = () =>
        events()
          .filter((e) => e['event'] === 'output-dropped')
          .reduce((sum, e) => sum + (e['lines'] as number), 0);
      expect(droppedLines()).toBeGreaterThan(total);

      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      // Tracking saw every scan although the display dropped most of them.
      const stats = events().find((e) => e['event'] === 'stats') as
        { machines: Record<string, unknown>[]; messages: Record<string, number> } | undefined;
      const all = warmup + total;
      expect(stats?.messages['valid']).toBe(all + 2);
      expect(stats?.machines[0]).toMatchObject({ scans: all, missing: 0 });
      const shown = stdout.filter((l) => l.startsWith('{')).length;
      expect(shown + droppedLines()).toBe(all + 2);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 240_000);
});
