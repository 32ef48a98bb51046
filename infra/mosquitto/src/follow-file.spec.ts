import { appendFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { followFile } from './follow-file.js';

describe('followFile', () => {
  it('reports each line appended after it started, whole lines only, and waits for a missing file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ot-mqtt-follow-'));
    const path = join(dir, 'mosquitto.log');
    const lines: string[] = [];
    const follower = await followFile(path, (line) => lines.push(line), 20);
    await writeFile(path, 'first\nsec');
    await expect.poll(() => lines.length).toBe(1);
    await appendFile(path, 'ond\nthird\n');
    await expect.poll(() => lines.length).toBe(3);
    await follower.stop();
    expect(lines).toEqual(['first', 'second', 'third']);
  });

  it('skips what the file held before it started', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ot-mqtt-follow-'));
    const path = join(dir, 'mosquitto.log');
    await writeFile(path, 'old run\n');
    const lines: string[] = [];
    const follower = await followFile(path, (line) => lines.push(line), 20);
    await appendFile(path, 'new run\n');
    await expect.poll(() => lines.length).toBe(1);
    await follower.stop();
    expect(lines).toEqual(['new run']);
  });
});
