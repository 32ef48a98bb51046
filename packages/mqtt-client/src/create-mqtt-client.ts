import type { MqttClient } from './mqtt-client.js';
import type { MqttClientOptions } from './mqtt-client-options.js';
import { ReconnectingClient } from './internal/reconnecting-client.js';
import { resolveOptions } from './internal/resolve-options.js';

/**
 * Creates an MQTT client that connects at once and keeps reconnecting with exponential backoff and
 * jitter until closed. Subscriptions are observables (restored when the broker lost them);
 * publishes wait in a bounded outbox while offline and QoS 1 messages are re-sent until the broker
 * acknowledges them. Throws `INVALID_URL`/`INVALID_OPTIONS` ({@link MqttClientError}) at once for bad
 * options; connection problems never throw but show in `state$`.
 *
 * @example
 * ```ts
 * import { createMqttClient } from '@ot-mqtt/mqtt-client';
 *
 * const client = createMqttClient({ url: 'mqtt://localhost:1883', clientId: 'ot-agent-1' });
 * client.state$.subscribe((s) => console.log('mqtt', s.status));
 * const sub = client
 *   .observe('plc/bottlefiller/#', { qos: 1 })
 *   .subscribe((m) => console.log(m.topic, new TextDecoder().decode(m.payload)));
 * await client.publish('plc/bottlefiller/cmd', JSON.stringify({ start: true }), { qos: 1 });
 * sub.unsubscribe();
 * await client.close();
 * ```
 */
export function createMqttClient(options: MqttClientOptions): MqttClient {
  return new ReconnectingClient(resolveOptions(options));
}
