import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBrokerTest } from '@ot-mqtt/broker/testing';
import { encodeScan } from '@ot-mqtt/tag-model';
import { connectAsync } from 'mqtt';
import { afterEach, beforeAll, describe, expect } from 'vitest';
import { exampleTags } from './fixtures.test-helper.js';
import { startViewer, type ViewerProcess } from './viewer-process.test-helper.js';

const PASSWORD = 'right-Pa55-viewer';
const WRONG = 'wrong-Pa55-viewer';

const dir = mkdtempSync(join(tmpdir(), 'ot-viewer-auth-'));
// The file's broker starts when the first test asks for it, after beforeAll wrote its passwords.
const it = createBrokerTest({
  extra: `allow_anonymous false\npassword_file ${join(dir, 'passwd')}`,
});

describe('viewer process against a broker with password authentication', () => {
  const viewers: ViewerProcess[] = [];
  beforeAll(() => {
    execFileSync('mosquitto_passwd', ['-b', '-c', join(dir, 'passwd'), 'viewer', PASSWORD]);
    execFileSync('mosquitto_passwd', ['-b', join(dir, 'passwd'), 'agent', PASSWORD]);
    writeFileSync(join(dir, 'viewer-password'), `${PASSWORD}\n`);
  });
  afterEach(async () => {
    await Promise.all(viewers.splice(0).map((v) => v.stop()));
  });

  it('connects with the password from MQTT_PASSWORD_FILE and shows data', async ({ broker }) => {
    const viewer = startViewer(
      {
        MQTT_URL: broker.url,
        MQTT_USERNAME: 'viewer',
        MQTT_PASSWORD_FILE: join(dir, 'viewer-password'),
        VIEWER_STATS_INTERVAL: '0',
      },
      ['--ndjson'],
    );
    viewers.push(viewer);
    await viewer.waitForEvent((e) => e['status'] === 'connected', 'connected');
    const publisher = await connectAsync(broker.url, { username: 'agent', password: PASSWORD });
    const [data] = encodeScan(exampleTags(), {
      machineId: 'filler-01',
      sequence: 5,
      timestamp: new Date(),
    });
    // The subscription follows the CONNACK closely; publish until it has landed.
    for (let i = 0; !viewer.records().some((r) => r['sequence'] === 5); i++) {
      if (i > 200) throw new Error('no data received');
      await publisher.publishAsync(data!.topic, data!.payload, { qos: 1 });
      await viewer.waitForRecord((r) => r['sequence'] === 5, 'scan 5', 250).catch(() => undefined);
    }
    await publisher.endAsync();
  });

  it('says in words that the credentials were refused, and never prints the password', async ({
    broker,
  }) => {
    const viewer = startViewer({
      MQTT_URL: broker.url,
      MQTT_USERNAME: 'viewer',
      MQTT_PASSWORD: WRONG,
      VIEWER_STATS_INTERVAL: '0',
    });
    viewers.push(viewer);
    await viewer.waitForText('not connected:');
    const line = viewer.stdout.find((l) => l.includes('not connected:'))!;
    expect(line).toMatch(/BAD_CREDENTIALS|NOT_AUTHORIZED/);
    expect(line).toMatch(/check MQTT_USERNAME and MQTT_PASSWORD|refuses this user/);
    await viewer.stop();
    expect([...viewer.stdout, ...viewer.stderr].join('\n')).not.toContain(WRONG);
  });
});
