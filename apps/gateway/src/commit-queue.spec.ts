import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openHistorian, type HistorianStore } from '@ot-mqtt/historian';
import { CommitQueue } from './commit-queue.js';
import { someTags } from './gateway-process.test-helper.js';
import { silent } from './api-test.test-helper.js';
const scan = (sequence: number) => ({
  machineId: 'filler-q',
  sequence,
  timestamp: new Date(Date.UTC(2026, 10, 30, 0, 0, sequence * 2)).toISOString(),
  tags: someTags(sequence),
});

describe('CommitQueue', () => {
  let dir: string | undefined;
  let store: HistorianStore | undefined;
  afterEach(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a scan delivered again while still held waits for the same commit: what is held stays bounded', async () => {
    dir = mkdtempSync(join(tmpdir(), 'commit-queue-'));
    store = await openHistorian(join(dir, 'q.sqlite'));
    const queue = new CommitQueue(store, silent);
    const writes = [queue.writeScan(scan(0)), queue.writeScan(scan(1)), queue.writeScan(scan(0))];
    expect(queue.status().held).toBe(2);
    await Promise.all(writes);
    expect(queue.status()).toMatchObject({ held: 0, stored: 2, duplicates: 0, batches: 1 });
    // Committed and released: the same scan again is a new job, recognised by the store.
    await queue.writeScan(scan(0));
    expect(queue.status()).toMatchObject({ stored: 2, duplicates: 1 });
    await queue.close();
  });

  it('bounds each transaction to maxBatch and lets queued I/O run between the chunks', async () => {
    dir = mkdtempSync(join(tmpdir(), 'commit-queue-'));
    store = await openHistorian(join(dir, 'q.sqlite'));
    const events: string[] = [];
    const observer = {
      committed: (_seconds: number, r: { stored: number }) => events.push(`commit ${r.stored}`),
      failed: () => undefined,
    };
    const queue = new CommitQueue(store, silent, observer, { maxBatch: 3 });
    const writes = Array.from({ length: 8 }, (_, i) => queue.writeScan(scan(i)));
    // Queued behind the first chunk's start, like an HTTP request arriving during a commit: without
    // the yield it would wait for all three chunks (SQLite commits only yield microtasks).
    setImmediate(() => events.push('io'));
    await Promise.all(writes);
    expect(events).toEqual(['commit 3', 'io', 'commit 3', 'commit 2']);
    expect(queue.status()).toMatchObject({ stored: 8, batches: 3, largestBatch: 3 });
    expect(queue.status().longestCommitMs).toBeGreaterThan(0);
    await queue.close();
  });
});
