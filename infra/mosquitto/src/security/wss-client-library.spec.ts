import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeAllClients,
  connectOrThrow,
  createTestSecrets,
  leakedSecrets,
  type TestSecrets,
} from './security-kit.test-helper.js';
import { startSecureMosquitto, type SecureMosquitto } from './start-secure-mosquitto.js';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const CLIENT_DIST = resolve(ROOT, 'packages', 'mqtt-client', 'dist', 'index.js');

// The client library as a user's project consumes it: its built package, in its own process. (A
// static import here would make the broker project depend on mqtt-client, whose own tests depend
// on the broker helper — a cycle in the Nx project graph.)
const CHILD = `
const { createMqttClient } = await import('@ot-mqtt/mqtt-client');
const { readFileSync } = await import('node:fs');
const { firstValueFrom, filter, timeout } = await import('rxjs');
const client = createMqttClient({
  url: process.env.URL,
  clientId: 'wss-viewer',
  username: 'viewer',
  password: readFileSync(process.env.PASSWORD_FILE, 'utf8'),
  tls: { ca: readFileSync(process.env.CA_FILE), servername: 'localhost' },
});
const message = await firstValueFrom(client.observe('plc/bottlefiller/#', { qos: 1 }).pipe(timeout(20000)));
const state = await firstValueFrom(client.state$.pipe(filter((s) => s.status === 'connected')));
console.log(JSON.stringify({ topic: message.topic, payload: Buffer.from(message.payload).toString(), status: state.status }));
await client.close({ timeoutMs: 2000 });
`;

describe('secure WebSockets from the client library (@ot-mqtt/mqtt-client)', () => {
  let secrets: TestSecrets;
  let broker: SecureMosquitto;
  beforeAll(async () => {
    secrets = await createTestSecrets();
    broker = await startSecureMosquitto({ secretsDir: secrets.brokerDir, extra: 'log_type all' });
  });
  afterAll(async () => {
    closeAllClients();
    await broker?.stop();
  });

  it.skipIf(!existsSync(CLIENT_DIST))(
    'the viewer user connects over wss:// with the dev CA and receives the agent’s retained status',
    async () => {
      const agent = await connectOrThrow(broker.mqttsUrl!, {
        ca: secrets.ca,
        servername: 'localhost',
        username: 'agent',
        password: secrets.passwords['agent']!,
      });
      await agent.publishAsync('plc/bottlefiller/connection', '{"status":"online"}', {
        qos: 1,
        retain: true,
      });
      const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', CHILD], {
        cwd: ROOT,
        timeout: 40_000,
        env: {
          ...process.env,
          URL: broker.wssUrl!,
          CA_FILE: secrets.caFile,
          PASSWORD_FILE: secrets.users['viewer']!.passwordFile!,
        },
      });
      expect(JSON.parse(stdout.trim())).toEqual({
        topic: 'plc/bottlefiller/connection',
        payload: '{"status":"online"}',
        status: 'connected',
      });
      expect(leakedSecrets(stdout + stderr + (await broker.readLog()), secrets.passwords)).toEqual(
        [],
      );
    },
  );
});
