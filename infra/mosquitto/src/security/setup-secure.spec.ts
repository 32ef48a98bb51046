import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { leakedSecrets } from './security-kit.test-helper.js';
import { setupSecure } from './setup-secure.js';

const run = promisify(execFile);
const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const cert = async (dir: string, name: string) =>
  new X509Certificate(await readFile(join(dir, `${name}.crt`)));

describe('setup-secure: development CA, certificates, passwords in one command', () => {
  it('signs a server certificate for localhost, 127.0.0.1 and the host names asked for', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ot-mqtt-setup-'));
    const setup = await setupSecure({ dir, hostnames: ['mqtt.plant.local', '10.20.30.40'] });
    const ca = await cert(dir, 'ca');
    const server = await cert(dir, 'server');
    expect(server.verify(ca.publicKey)).toBe(true);
    for (const san of [
      'DNS:localhost',
      'IP Address:127.0.0.1',
      'DNS:mqtt.plant.local',
      'IP Address:10.20.30.40',
    ])
      expect(server.subjectAltName).toContain(san);
    const agent = await cert(dir, 'agent');
    expect(agent.subject).toContain('CN=agent');
    expect(agent.verify(ca.publicKey)).toBe(true);
    expect((await stat(setup.users['agent']!.keyFile)).mode & 0o077).toBe(0);
    expect((await stat(setup.users['agent']!.passwordFile!)).mode & 0o077).toBe(0);
    expect((await stat(setup.passwordFile)).mode & 0o077).toBe(0);
    const passwd = await readFile(setup.passwordFile, 'utf8');
    expect(
      passwd
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(':')[0]),
    ).toEqual(['agent', 'viewer', 'dashboard']);
  });

  it('keeps the CA and passwords when run again, and re-issues the server certificate for new names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ot-mqtt-setup-'));
    await setupSecure({ dir });
    const ca = (await cert(dir, 'ca')).fingerprint256;
    const password = await readFile(join(dir, 'viewer.password'), 'utf8');
    const again = await setupSecure({ dir });
    expect(again.created).toEqual([]);
    const renamed = await setupSecure({ dir, hostnames: ['broker.example'] });
    expect(renamed.created).toEqual(['server.crt', 'server.key']);
    expect((await cert(dir, 'ca')).fingerprint256).toBe(ca);
    expect(await readFile(join(dir, 'viewer.password'), 'utf8')).toBe(password);
    const fresh = await setupSecure({ dir, force: true });
    expect((await cert(dir, 'ca')).fingerprint256).not.toBe(ca);
    expect(fresh.created).toContain('viewer.password');
  });

  it('the command prints where the secrets are and how to connect, never a password', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ot-mqtt-setup-'));
    const { stdout, stderr } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/setup-secure.ts',
        '--dir',
        dir,
        '--hostname',
        'mqtt.plant.local',
      ],
      { cwd: PACKAGE_DIR, timeout: 60_000 },
    );
    expect(stdout).toContain(join(dir, 'ca.crt'));
    expect(stdout).toContain('mqtt.plant.local');
    expect(stdout).toMatch(/MQTT_USERNAME=agent MQTT_PASSWORD_FILE=\S+agent\.password/);
    const passwords: Record<string, string> = {};
    for (const user of ['agent', 'viewer', 'dashboard'])
      passwords[user] = await readFile(join(dir, `${user}.password`), 'utf8');
    expect(leakedSecrets(stdout + stderr, passwords)).toEqual([]);
  });
});
