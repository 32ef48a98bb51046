import mqtt from 'mqtt';

/**
 * True when an MQTT 3.1.1 CONNECT to `url` gets a successful CONNACK within `timeoutMs`.
 *
 * The deadline is ours, not the library's: while a NATS cluster elects a new leader for its MQTT
 * streams, a CONNECT is neither answered nor closed, and mqtt.js' own `connectAsync` without
 * reconnects was seen to wait forever (docs/cluster.md).
 */
export function mqttAnswers(url: string, timeoutMs = 3_000): Promise<boolean> {
  return new Promise((resolve) => {
    const client = mqtt.connect(url, {
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: timeoutMs,
      clientId: `ot-mqtt-probe-${process.pid}-${Math.random().toString(36).slice(2, 10)}`,
    });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      client.removeAllListeners();
      client.on('error', () => {});
      client.end(true);
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    client.once('connect', () => done(true));
    client.once('error', () => done(false));
    client.once('close', () => done(false));
  });
}
