import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { connectAsync } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { parseListeners } from './listeners.js';
import { CONFIG_DIR } from './start-mosquitto.js';
import { brokerTest } from './testing/index.js';

// No Docker engine runs here: the compose file is checked as data, against the config it mounts,
// and that config is started for real with the Mosquitto binary.
const INFRA_DIR = resolve(CONFIG_DIR, '..');

interface ComposeFile {
  services: Record<
    string,
    {
      image: string;
      restart: string;
      ports: string[];
      volumes: string[];
      networks: Record<string, { ipv4_address?: string }>;
      healthcheck: { test: string[] };
    }
  >;
  networks: Record<
    string,
    { name: string; driver: string; ipam: { config: { subnet: string }[] } }
  >;
}

async function compose(): Promise<ComposeFile> {
  return load(await readFile(join(INFRA_DIR, 'docker-compose.yml'), 'utf8')) as ComposeFile;
}

/** `${NAME:-default}` → default, as compose substitutes it when NAME is unset. */
const withDefaults = (text: string) => text.replace(/\$\{\w+:-([^}]*)\}/g, '$1');

/** Host-path → container-path mounts of the broker service. */
async function mounts(): Promise<Map<string, string>> {
  const service = (await compose()).services['mosquitto'];
  return new Map(
    (service?.volumes ?? []).map((v) => {
      const [host = '', container = ''] = v.split(':');
      return [container, host];
    }),
  );
}

function inSubnet(ip: string, cidr: string): boolean {
  const toInt = (a: string) => a.split('.').reduce((n, part) => n * 256 + Number(part), 0);
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(base) / size);
}

describe('docker-compose.yml', () => {
  it('runs a pinned Mosquitto 2.x image, restarts unless stopped, and publishes ports 1883 and 9001', async () => {
    const service = (await compose()).services['mosquitto'];
    expect(service?.image).toMatch(/^eclipse-mosquitto:2\.\d+\.\d+$/);
    expect(service?.restart).toBe('unless-stopped');
    expect(service?.ports.map(withDefaults)).toEqual(['1883:1883', '9001:9001']);
  });

  it('puts the broker on the bridge network ot-network, subnet from OT_NETWORK_SUBNET, with a static address inside it', async () => {
    const file = await compose();
    const network = file.networks['ot-network'];
    expect(network?.name).toBe('ot-network');
    expect(network?.driver).toBe('bridge');
    const subnet = network?.ipam.config[0]?.subnet ?? '';
    expect(subnet).toBe('${OT_NETWORK_SUBNET:-172.28.0.0/16}');
    const ip = withDefaults(file.services['mosquitto']?.networks['ot-network']?.ipv4_address ?? '');
    expect(inSubnet(ip, withDefaults(subnet))).toBe(true);
  });

  it('mounts config, data and log volumes where the config file expects them, from folders of this repository', async () => {
    const volumes = await mounts();
    expect([...volumes.keys()].sort()).toEqual([
      '/mosquitto/config',
      '/mosquitto/data',
      '/mosquitto/log',
    ]);
    expect(resolve(INFRA_DIR, volumes.get('/mosquitto/config') ?? '')).toBe(CONFIG_DIR);
    const conf = await readFile(join(CONFIG_DIR, 'mosquitto.conf'), 'utf8');
    expect(conf).toMatch(/^persistence_location \/mosquitto\/data\/$/m);
    expect(conf).toMatch(/^log_dest file \/mosquitto\/log\/mosquitto\.log$/m);
    // data/ and log/ are created by Docker on first start and ignored by git.
    const gitignore = await readFile(resolve(INFRA_DIR, '..', '..', '.gitignore'), 'utf8');
    for (const dir of ['data', 'log']) {
      expect(volumes.get(`/mosquitto/${dir}`)).toBe(`./${dir}`);
      expect(gitignore).toContain(`infra/mosquitto/${dir}/`);
    }
    expect(existsSync(join(CONFIG_DIR, 'mosquitto.conf'))).toBe(true);
  });

  it('checks health with an MQTT subscription on a port the config really listens on', async () => {
    const test = (await compose()).services['mosquitto']?.healthcheck.test ?? [];
    expect(test.slice(0, 2)).toEqual(['CMD', 'mosquitto_sub']);
    const port = Number(test[test.indexOf('-p') + 1]);
    const conf = await readFile(join(CONFIG_DIR, 'mosquitto.conf'), 'utf8');
    expect(parseListeners(conf)).toContainEqual({ port, protocol: 'mqtt', tls: false });
  });

  describe('the config file it mounts', () => {
    brokerTest(
      'starts a real Mosquitto here (paths and ports adapted) that serves MQTT on TCP and WebSockets',
      async ({ startBroker }) => {
        const mounted = resolve(INFRA_DIR, (await mounts()).get('/mosquitto/config') ?? '');
        const broker = await startBroker({ configFile: join(mounted, 'mosquitto.conf') });
        expect(broker.wsUrl).toBe(`ws://127.0.0.1:${broker.ports[9001]}`);
        for (const url of [broker.url, broker.wsUrl ?? '']) {
          const client = await connectAsync(url, { reconnectPeriod: 0 });
          await client.subscribeAsync('plc/bottlefiller/#', { qos: 1 });
          const got = new Promise<string>((r) => client.on('message', (t) => r(t)));
          await client.publishAsync('plc/bottlefiller/data', '{}', { qos: 1 });
          expect(await got).toBe('plc/bottlefiller/data');
          await client.endAsync();
        }
        expect(await broker.readLog()).toMatch(/mosquitto version 2\.\d+\.\d+ running/);
      },
    );
  });
});
