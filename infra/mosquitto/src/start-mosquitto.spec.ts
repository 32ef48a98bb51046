import { afterEach, describe, expect, it } from 'vitest';
import { canConnect } from './wait-for-port.js';
import { startMosquitto, type RunningMosquitto } from './start-mosquitto.js';

describe('startMosquitto', () => {
  let broker: RunningMosquitto | undefined;
  afterEach(async () => {
    await broker?.stop();
    broker = undefined;
  });

  it('starts the development config on ephemeral loopback ports and stops by PID', async () => {
    broker = await startMosquitto();
    expect(broker.ports[1883]).not.toBe(1883);
    expect(await canConnect(broker.ports[1883]!)).toBe(true);
    expect(await canConnect(broker.ports[9001]!)).toBe(true);
    await broker.stop();
    expect(await canConnect(broker.ports[1883]!)).toBe(false);
  });

  it('restarts on the same ports after a kill -9', async () => {
    const first = await startMosquitto({ persistence: true });
    await first.kill();
    broker = await first.restart();
    expect(broker.ports).toEqual(first.ports);
    expect(await canConnect(broker.ports[1883]!)).toBe(true);
  });
});
