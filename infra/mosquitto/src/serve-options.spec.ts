import { describe, expect, it } from 'vitest';
import { parseServeOptions, serveHelp, SERVE_VARIABLES } from './serve-options.js';

describe('parseServeOptions', () => {
  it('defaults to the documented ports 1883 and 9001 on loopback, choosing the broker automatically', () => {
    expect(parseServeOptions({})).toEqual({
      port: 1883,
      wsPort: 9001,
      bindAddress: '127.0.0.1',
      broker: 'auto',
      runDir: undefined,
    });
  });

  it('takes environment variables, and flags over them', () => {
    const options = parseServeOptions(
      { MQTT_BROKER_PORT: '1884', MQTT_WS_PORT: '9002', OT_MQTT_BROKER: 'aedes' },
      ['--port', '1885', '--bind=0.0.0.0'],
    );
    expect(options).toMatchObject({
      port: 1885,
      wsPort: 9002,
      bindAddress: '0.0.0.0',
      broker: 'aedes',
    });
  });

  it.each([
    [
      { MQTT_BROKER_PORT: 'abc' },
      'MQTT_BROKER_PORT="abc" is not a TCP port; allowed: an integer from 1 to 65535',
    ],
    [{ MQTT_WS_PORT: '-1' }, 'MQTT_WS_PORT="-1" is not a TCP port'],
    [
      { MQTT_BROKER_PORT: '1883', MQTT_WS_PORT: '1883' },
      'MQTT_WS_PORT=1883 is the same as MQTT_BROKER_PORT',
    ],
    [{ MQTT_BIND_ADDRESS: 'localhost' }, 'MQTT_BIND_ADDRESS="localhost" is not an IP address'],
    [
      { OT_MQTT_BROKER: 'hivemq' },
      'OT_MQTT_BROKER="hivemq" is not allowed; allowed: auto, mosquitto, aedes',
    ],
  ])('rejects %o naming the variable, the value and what is allowed', (env, message) => {
    expect(() => parseServeOptions(env)).toThrow(message);
  });

  it('rejects an unknown flag and lists the known ones', () => {
    expect(() => parseServeOptions({}, ['--prot', '1'])).toThrow(
      /unknown argument "--prot"; allowed: --port/,
    );
  });

  it('lists every setting with its default in --help', () => {
    const help = serveHelp();
    for (const v of SERVE_VARIABLES) expect(help).toContain(`${v.name} / ${v.flag}`);
  });
});
