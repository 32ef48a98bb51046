import { appendFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { followFile } from './follow-file.js';
import { waitFor } from './wait-for.test-helper.js';

describe('followFile', () => {
  it('reports each line appended after it started, whole lines only, and waits for a missing file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ot-mqtt-follow-'));
    const path = join(dir, 'mosquitto.log');
    const lines: string[] = [];
    const follower = await followFile(path, (line) => lines.push(line), 20);
    await writeFile(path, 'first\nsec');
    await waitFor(() => lines.length === 1, 5_000, 'the first line');
    await appendFile(path, 'ond\nthird\n');
    await waitFor(() => lines.length === 3, 5_000, 'two more lines');
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
    await waitFor(() => lines.length === 1, 5_000, 'the new line');
    await follower.stop();
    expect(lines).toEqual(['new run']);
  });
});
