import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rename, stat } from 'node:fs/promises';
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
    const ca = await cert(setup.clientsDir, 'ca');
    const server = await cert(setup.brokerDir, 'server');
    expect(server.verify(ca.publicKey)).toBe(true);
    for (const san of [
      'DNS:localhost',
      'IP Address:127.0.0.1',
      'DNS:mqtt.plant.local',
      'IP Address:10.20.30.40',
    ])
      expect(server.subjectAltName).toContain(san);
    const agent = await cert(setup.clientsDir, 'agent');
    expect(agent.subject).toContain('CN=agent');
    expect(agent.verify(ca.publicKey)).toBe(true);
    expect((await stat(setup.users['agent']!.keyFile)).mode & 0o077).toBe(0);
    expect((await stat(setup.users['agent']!.passwordFile!)).mode & 0o077).toBe(0);
    // The broker's files: its group may read them (the broker drops to it), others nothing.
    expect((await stat(setup.passwordFile)).mode & 0o777).toBe(0o640);
    expect((await stat(join(setup.brokerDir, 'server.key'))).mode & 0o777).toBe(0o640);
    expect((await stat(setup.clientsDir)).mode & 0o777).toBe(0o700);
    const passwd = await readFile(setup.passwordFile, 'utf8');
    expect(
      passwd
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(':')[0]),
    ).toEqual(['agent', 'viewer', 'dashboard', 'operator', 'gateway', 'broker-metrics']);
  });

  it('keeps the CA and passwords when run again, and re-issues the server certificate for new names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ot-mqtt-setup-'));
    const { clientsDir } = await setupSecure({ dir });
    const ca = (await cert(clientsDir, 'ca')).fingerprint256;
    const password = await readFile(join(clientsDir, 'viewer.password'), 'utf8');
    const again = await setupSecure({ dir });
    expect(again.created).toEqual([]);
    const renamed = await setupSecure({ dir, hostnames: ['broker.example'] });
    expect(renamed.created).toEqual(['broker/server.crt', 'broker/server.key']);
    expect((await cert(clientsDir, 'ca')).fingerprint256).toBe(ca);
    expect(await readFile(join(clientsDir, 'viewer.password'), 'utf8')).toBe(password);
    const fresh = await setupSecure({ dir, force: true });
    expect((await cert(clientsDir, 'ca')).fingerprint256).not.toBe(ca);
    expect(fresh.created).toContain('clients/viewer.password');
  });

  it('moves a folder made by an older setup-secure (everything at the top) into broker/ and clients/, keeping CA and passwords', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ot-mqtt-setup-'));
    const { clientsDir, brokerDir } = await setupSecure({ dir });
    const ca = (await cert(clientsDir, 'ca')).fingerprint256;
    const password = await readFile(join(clientsDir, 'viewer.password'), 'utf8');
    // Flatten it, as the first release laid it out.
    for (const [from, names] of [
      [clientsDir, await readdir(clientsDir)],
      [brokerDir, await readdir(brokerDir)],
    ] as const)
      for (const name of names) await rename(join(from, name), join(dir, name));
    const upgraded = await setupSecure({ dir });
    expect((await cert(upgraded.clientsDir, 'ca')).fingerprint256).toBe(ca);
    expect(await readFile(join(upgraded.clientsDir, 'viewer.password'), 'utf8')).toBe(password);
    expect((await readdir(dir)).sort()).toEqual(['broker', 'clients']);
    expect(await readdir(upgraded.brokerDir)).not.toContain('ca.key');
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
        '--machine',
        'filler-0001',
      ],
      { cwd: PACKAGE_DIR, timeout: 60_000 },
    );
    expect(stdout).toContain(join(dir, 'clients', 'ca.crt'));
    expect(stdout).toContain(
      `broker folder (mount on /mosquitto/config/certs): ${join(dir, 'broker')}`,
    );
    expect(stdout).toContain('mqtt.plant.local');
    expect(stdout).toMatch(/MQTT_USERNAME=agent MQTT_PASSWORD_FILE=\S+agent\.password/);
    // A machine identity: the per-filler agent line with the {machineId} templates it fills in.
    expect(stdout).toContain(
      `CONNECTION_MODE=per-filler FILLER_COUNT=1 MQTT_USERNAME='{machineId}' MQTT_PASSWORD_FILE='${join(dir, 'clients', '{machineId}.password')}'`,
    );
    const passwords: Record<string, string> = {};
    for (const user of ['agent', 'viewer', 'dashboard', 'operator', 'filler-0001'])
      passwords[user] = await readFile(join(dir, 'clients', `${user}.password`), 'utf8');
    expect(leakedSecrets(stdout + stderr, passwords)).toEqual([]);
  });
});
