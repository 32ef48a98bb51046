import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupSecure, type SecureSetup } from './setup-secure.js';
import { BRIDGE_CONFIG_DIR, PRODUCTION_CONFIG_DIR } from './start-secure-mosquitto.js';

interface Compose {
  services: Record<string, { image: string; ports: string[]; volumes: string[] }>;
}

const PACKAGE_DIR = resolve(PRODUCTION_CONFIG_DIR, '..', '..');
const PATH_KEYS =
  /^\s*(password_file|acl_file|cafile|certfile|keyfile|crlfile|bridge_cafile|bridge_certfile|bridge_keyfile)\s+(\S+)/gm;

// No Docker engine here: check statically that the container would find every file the
// configuration names, with the secrets folder as setup-secure makes it.
describe('docker-compose.production.yml', () => {
  let compose: Compose;
  let secrets: SecureSetup;
  beforeAll(async () => {
    compose = yaml.load(
      await readFile(join(PACKAGE_DIR, 'docker-compose.production.yml'), 'utf8'),
    ) as Compose;
    secrets = await setupSecure({
      dir: await mkdtemp(join(tmpdir(), 'ot-mqtt-compose-')),
      machines: ['filler-07'],
    });
  });
  /** The broker container's mounts, host side → container side. */
  const mounts = () =>
    compose.services['mosquitto']!.volumes.map((v) => v.split(':') as [string, string, string?]);

  const hostPath = (containerPath: string): string | undefined => {
    // Longest mount first: ./certs/broker on /mosquitto/config/certs wins over ./config/production.
    const sorted = mounts()
      .filter(([source]) => source.startsWith('./'))
      .sort((a, b) => b[1].length - a[1].length);
    for (const [source, target] of sorted) {
      if (containerPath.startsWith(target + '/')) {
        // setup-secure's default folder is ./certs: its broker/ part is what the file mounts.
        const base = source.startsWith('./certs/')
          ? join(secrets.dir, source.slice('./certs/'.length))
          : join(PACKAGE_DIR, source);
        return join(base, containerPath.slice(target.length + 1));
      }
    }
    return undefined;
  };

  it('runs a pinned Mosquitto 2.x image and publishes exactly the secure listeners', async () => {
    const service = compose.services['mosquitto']!;
    expect(service.image).toMatch(/^eclipse-mosquitto:2\.\d+\.\d+$/);
    const conf = await readFile(join(PRODUCTION_CONFIG_DIR, 'mosquitto.conf'), 'utf8');
    const listeners = [...conf.matchAll(/^listener\s+(\d+)/gm)].map((m) => m[1]);
    expect(service.ports.map((p) => p.split(':').at(-1))).toEqual(listeners);
    expect(listeners).not.toContain('1883');
  });

  it('mounts every file the production, optional and bridge configs name', async () => {
    const files = [
      join(PRODUCTION_CONFIG_DIR, 'mosquitto.conf'),
      join(PRODUCTION_CONFIG_DIR, 'optional', 'client-certificate-listener.conf'),
      join(BRIDGE_CONFIG_DIR, 'ot-to-it-bridge.conf'),
    ];
    for (const file of files) {
      for (const [, key, path] of (await readFile(file, 'utf8')).matchAll(PATH_KEYS)) {
        const onHost = hostPath(path!);
        expect(onHost, `${key} ${path} (${file}) is mounted`).toBeDefined();
        expect(existsSync(onHost!), `${key} ${path} exists as ${onHost}`).toBe(true);
      }
    }
    // include_dir and the certs mount point exist in the repository itself.
    expect(existsSync(hostPath('/mosquitto/config/conf.d')!)).toBe(true);
    expect(existsSync(join(PRODUCTION_CONFIG_DIR, 'certs'))).toBe(true);
  });

  it('hands the broker only its own secrets: no CA key, no client key, no plain password (issue 9.4)', async () => {
    const secretMounts = mounts().filter(([source]) => source.startsWith('./certs'));
    expect(secretMounts.map(([source, target, mode]) => [source, target, mode])).toEqual([
      ['./certs/broker', '/mosquitto/config/certs', 'ro'],
    ]);
    const mounted = await readdir(secrets.brokerDir);
    expect(mounted.sort()).toEqual(
      ['ca.crt', 'ot-bridge.crt', 'ot-bridge.key', 'passwd', 'server.crt', 'server.key'].sort(),
    );
    // By content too, whatever the names: the only private keys are the broker's own, and no
    // client's plain password is anywhere in the folder.
    const keysInMount: string[] = [];
    const passwords = await Promise.all(
      Object.values(secrets.users)
        .filter((u) => u.passwordFile)
        .map((u) => readFile(u.passwordFile!, 'utf8')),
    );
    for (const name of mounted) {
      const text = await readFile(join(secrets.brokerDir, name), 'utf8');
      if (text.includes('PRIVATE KEY')) keysInMount.push(name);
      for (const password of passwords) expect(text.includes(password), name).toBe(false);
    }
    expect(keysInMount.sort()).toEqual(['ot-bridge.key', 'server.key']);
    const caKey = await readFile(join(secrets.clientsDir, 'ca.key'), 'utf8');
    const clientKeys = await Promise.all(
      ['agent', 'viewer', 'operator', 'filler-07'].map((u) =>
        readFile(secrets.users[u]!.keyFile, 'utf8'),
      ),
    );
    for (const name of keysInMount) {
      const key = await readFile(join(secrets.brokerDir, name), 'utf8');
      expect([caKey, ...clientKeys]).not.toContain(key);
    }
  });
});
