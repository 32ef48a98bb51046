import { readFileSync } from 'node:fs';
import { encodeConnection, encodeScan } from '@ot-mqtt/tag-model';
import { exampleTags } from '@ot-mqtt/tag-model/testing';
import type { MqttClient } from 'mqtt';
import { afterAll, describe, expect } from 'vitest';
import {
  startViewer,
  viewerTest as it,
  waitFor,
  type ViewerProcess,
} from './viewer-process.test-helper.js';

// Issue 9 item 2: any publisher could grow the viewer's memory without bound (50,000 one-byte
// messages on random machine topics took it from 56 MB to 980 MB). ~30 s on a loaded 2-core
// machine: the point is the volume.

/** Resident set size of a process in MiB, from /proc (Linux). */
function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/mu.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) / 1024;
}

const randomId = () => `m${Math.random().toString(36).slice(2, 14)}`;

async function publishBatched(
  client: MqttClient,
  messages: Iterable<{ topic: string; payload: string }>,
): Promise<void> {
  let batch: Promise<unknown>[] = [];
  for (const m of messages) {
    batch.push(client.publishAsync(m.topic, m.payload, { qos: 0 }));
    if (batch.length >= 2000) {
      await Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all(batch);
}

describe.skipIf(process.platform !== 'linux')('viewer under a flood of made-up machine ids', () => {
  let viewer: ViewerProcess | undefined;
  afterAll(async () => {
    await viewer?.stop();
  });

  it('50,000 one-byte messages and 11,000 valid scans on random ids: state bounded, limit said once, RSS flat', async ({
    broker,
    publisher,
  }) => {
    const root = 'flood/plc/bottlefiller';
    viewer = startViewer(
      { MQTT_URL: broker.url, TOPIC_ROOT: root, VIEWER_STATS_INTERVAL: '0', VIEWER_QOS: '0' },
      ['--ndjson'],
    );
    const v = viewer;
    await v.waitForEvent((e) => e['status'] === 'connected', 'connected');
    // Warm up (first messages load code paths) before the baseline.
    const warmup = encodeScan(exampleTags(), {
      machineId: 'warmup',
      sequence: 1,
      timestamp: new Date(),
      root,
      includeMachineLevel: true,
    })[0]!;
    for (let i = 0; !v.records().some((r) => r['machineId'] === 'warmup'); i++) {
      if (i > 200) throw new Error('viewer never received the warm-up scan');
      await publisher.publishAsync(warmup.topic, warmup.payload, { qos: 0 });
      await new Promise((r) => setTimeout(r, 50));
    }
    const pid = v.child.pid!;
    const before = rssMiB(pid);

    const garbage = Array.from({ length: 50_000 }, () => ({
      topic: `${root}/${randomId()}/data`,
      payload: 'x',
    }));
    await publishBatched(publisher, garbage);
    const tags = exampleTags();
    const now = new Date();
    const valid = Array.from({ length: 11_000 }, () => {
      const [data] = encodeScan(tags, {
        machineId: randomId(),
        sequence: 1,
        timestamp: now,
        root,
        includeMachineLevel: true,
      });
      return data!;
    });
    await publishBatched(publisher, valid);
    // Messages are handled in order: once this announcement is reported, the flood was read. (The
    // display may have dropped lines this test process was too slow to read; tracking did not.)
    const offline = encodeConnection('offline', {
      machineId: 'warmup',
      root,
      includeMachineLevel: true,
    });
    await publisher.publishAsync(offline.topic, offline.payload, { qos: 0 });
    await waitFor(
      () => v.events().some((e) => e['event'] === 'connection' && e['status'] === 'offline'),
      120_000,
      () => `flood not read yet: ${v.stdout.length} records shown`,
    );
    const after = rssMiB(pid);
    const growth = after - before;
    // The figure for the note.
    console.log(
      `viewer RSS under the flood: ${before.toFixed(0)} MiB → ${after.toFixed(0)} MiB (+${growth.toFixed(0)} MiB) for 61,000 messages on 61,000 random ids, 10,000 tracked`,
    );

    const limits = v.events().filter((e) => e['event'] === 'machine-limit');
    expect(limits).toHaveLength(1);
    expect(limits[0]).toMatchObject({ level: 'warn', limit: 10_000 });
    // 10,000 tracked machines cost ~10 MiB; before the fix 50,000 invalid ones alone cost ~900 MiB.
    expect(growth).toBeLessThan(120);

    expect(await v.stop()).toBe(0);
    const stats = v.events().find((e) => e['event'] === 'stats') as
      { machines: unknown[]; messages: Record<string, number> } | undefined;
    expect(stats?.machines).toHaveLength(10_000);
    expect(stats?.messages).toMatchObject({
      invalid: 50_000,
      untracked: 1001,
      machinesTracked: 10_000,
    });
  }, 240_000);
});
