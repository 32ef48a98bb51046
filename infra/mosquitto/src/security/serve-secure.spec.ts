import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { closeAllClients, connectOrThrow, leakedSecrets } from './security-kit.test-helper.js';

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npx nx run broker:serve-secure', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    closeAllClients();
    if (child?.pid && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  });

  it('creates secrets, serves the production profile, and stops Mosquitto on Ctrl-C', async () => {
    const secrets = join(await mkdtemp(join(tmpdir(), 'ot-mqtt-serve-secure-')), 'certs');
    const runDir = await mkdtemp(join(tmpdir(), 'ot-mqtt-serve-secure-run-'));
    child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/serve-secure.ts', '--secrets', secrets, '--run-dir', runDir],
      {
        cwd: PACKAGE_DIR,
        env: { ...process.env, MQTTS_PORT: '0', MQTT_WSS_PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    await vi.waitFor(
      () => expect(/MQTT over TLS\s+mqtts:\/\/\S+/.test(out), 'the listener lines').toBe(true),
      { timeout: 45_000 },
    );
    expect(out).toContain('creating development ones');
    const url = /MQTT over TLS\s+(mqtts:\/\/\S+)/.exec(out)![1]!;
    const pid = Number(/Mosquitto \(pid (\d+)\)/.exec(out)![1]);
    const password = (await readFile(join(secrets, 'clients', 'viewer.password'), 'utf8')).trim();
    await connectOrThrow(url, {
      ca: await readFile(join(secrets, 'clients', 'ca.crt')),
      servername: 'localhost',
      username: 'viewer',
      password,
    });
    // The broker was handed the broker folder only (issue 9.4).
    expect(await realpath(join(runDir, 'config', 'certs'))).toBe(join(secrets, 'broker'));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(alive(pid)).toBe(false);
    expect(leakedSecrets(out, { viewer: password })).toEqual([]);
  });

  it('stops with exit code 2 and names the variable when a port is invalid', async () => {
    const bad = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve-secure.ts'], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, MQTT_WSS_PORT: '70000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    bad.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((r) => bad.once('exit', r));
    expect(code).toBe(2);
    expect(err).toContain('MQTT_WSS_PORT=70000');
  });
});
