import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseListeners, schemeOf } from './listeners.js';
import { CONFIG_DIR } from './start-mosquitto.js';

describe('parseListeners', () => {
  it('reads the development config as MQTT on 1883 and WebSockets on 9001, both plain', async () => {
    const text = await readFile(join(CONFIG_DIR, 'mosquitto.conf'), 'utf8');
    expect(parseListeners(text)).toEqual([
      { port: 1883, protocol: 'mqtt', tls: false },
      { port: 9001, protocol: 'websockets', tls: false },
    ]);
  });

  it('gives each listener the protocol and TLS settings written below it, whatever its port', () => {
    const text = [
      'listener 8883',
      'certfile /mosquitto/config/certs/server.crt',
      'listener 9001',
      'listener 9443 0.0.0.0',
      'protocol websockets',
      'certfile server.crt',
      'listener 8080',
      '  protocol websockets',
    ].join('\n');
    expect(parseListeners(text).map((l) => `${l.port} ${schemeOf(l)}`)).toEqual([
      '8883 mqtts',
      '9001 mqtt',
      '9443 wss',
      '8080 ws',
    ]);
  });
});
