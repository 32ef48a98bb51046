import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openHistorian, type HistorianStore } from '@ot-mqtt/historian';
import { CommitQueue } from './commit-queue.js';
import { someTags } from './gateway-process.test-helper.js';
import { createLogger } from './log.js';

const silent = createLogger(
  'error',
  () => undefined,
  () => undefined,
);
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
});
