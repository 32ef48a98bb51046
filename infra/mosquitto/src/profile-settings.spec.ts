import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect } from 'vitest';
import { CONFIG_DIR } from './start-mosquitto.js';
import { brokerTest as it, mosquittoPub, startMosquittoSub } from './testing/index.js';

const DOCS = resolve(CONFIG_DIR, '..', '..', '..', 'docs', 'broker.md');
const PROFILES = {
  Development: join(CONFIG_DIR, 'mosquitto.conf'),
  Production: join(CONFIG_DIR, 'production', 'mosquitto.conf'),
} as const;
const SETTINGS = [
  'autosave_interval',
  'persistent_client_expiration',
  'max_queued_messages',
  'sys_interval',
] as const;

/** `key value` lines of a Mosquitto config (last one wins, as in Mosquitto). */
async function settings(file: string): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    const match = /^([a-z_]+)\s+(\S+)\s*$/.exec(line.trim());
    if (match) map.set(match[1]!, match[2]!);
  }
  return map;
}

/** The "two profiles side by side" table of docs/broker.md: setting → column → value. */
async function documented(): Promise<Map<string, Record<string, string>>> {
  const lines = (await readFile(DOCS, 'utf8')).split('\n');
  const header = lines.findIndex((l) => /^\| Setting\s+\| Development\s+\| Production/.test(l));
  expect(header, 'the profile table in docs/broker.md').toBeGreaterThan(-1);
  const columns = lines[header]!.split('|').map((c) => c.trim());
  const rows = new Map<string, Record<string, string>>();
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').map((c) => c.trim().replace(/`/g, ''));
    rows.set(cells[1]!, Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ''])));
  }
  return rows;
}

describe('development and production profiles (issue 9.10, issue 14)', () => {
  it('both set persistent_client_expiration and sys_interval, and autosave every 5 s', async () => {
    for (const [name, file] of Object.entries(PROFILES)) {
      const conf = await settings(file);
      expect(conf.get('persistent_client_expiration'), name).toMatch(/^\d+[hdwmy]$/);
      expect(conf.get('sys_interval'), name).toBe('10');
      expect(conf.get('autosave_interval'), name).toBe('5');
    }
  });

  it('docs/broker.md states exactly what each config file says', async () => {
    const table = await documented();
    for (const key of SETTINGS) {
      for (const [name, file] of Object.entries(PROFILES)) {
        expect(table.get(key)?.[name], `${key} (${name}) in docs/broker.md`).toBe(
          (await settings(file)).get(key),
        );
      }
    }
    // …and nowhere else claims another autosave interval for production.
    expect(await readFile(DOCS, 'utf8')).not.toMatch(/production[^.]*\b60 s\b/i);
  });

  it('Mosquitto publishes its $SYS figures (development profile: anonymous, so readable without an account)', async ({
    startBroker,
  }) => {
    // The development profile is anonymous, so $SYS is readable there without an account.
    const broker = await startBroker({ configFile: PROFILES.Development });
    const sub = await startMosquittoSub({
      url: broker.url,
      topics: ['$SYS/broker/uptime', '$SYS/broker/clients/connected'],
    });
    try {
      await mosquittoPub({ url: broker.url, topic: 'x', message: 'x' });
      await expect
        .poll(() => sub.messages().map((m) => m.topic), { timeout: 25_000 })
        .toEqual(expect.arrayContaining(['$SYS/broker/uptime', '$SYS/broker/clients/connected']));
    } finally {
      await sub.stop();
    }
    expect(await broker.readLog()).not.toMatch(/Error/);
  });
});
