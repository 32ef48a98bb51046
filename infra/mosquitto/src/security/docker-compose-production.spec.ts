import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupSecure } from './setup-secure.js';
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
  let secretsDir: string;
  beforeAll(async () => {
    compose = yaml.load(
      await readFile(join(PACKAGE_DIR, 'docker-compose.production.yml'), 'utf8'),
    ) as Compose;
    secretsDir = (await setupSecure({ dir: await mkdtemp(join(tmpdir(), 'ot-mqtt-compose-')) }))
      .dir;
  });

  const hostPath = (containerPath: string): string | undefined => {
    // Longest mount first: ./certs on /mosquitto/config/certs wins over ./config/production.
    const mounts = compose.services['mosquitto']!.volumes.map((v) => v.split(':'))
      .filter(([source]) => source!.startsWith('./'))
      .sort((a, b) => b[1]!.length - a[1]!.length);
    for (const [source, target] of mounts) {
      if (containerPath.startsWith(target! + '/')) {
        const base = source === './certs' ? secretsDir : join(PACKAGE_DIR, source!);
        return join(base, containerPath.slice(target!.length + 1));
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
});
