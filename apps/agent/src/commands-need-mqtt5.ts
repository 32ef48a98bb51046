import type { MqttClient } from '@ot-mqtt/mqtt-client';
import type { Subscription } from 'rxjs';

/**
 * CONNACK return code 1 of MQTT 3.1.1 (§3.2.2.3, "unacceptable protocol version"): what a broker
 * that speaks only 3.1.1 — a NATS cluster's MQTT gateway — answers an MQTT 5 CONNECT with. Read as
 * an MQTT 5 reason code it is the same byte.
 */
const UNACCEPTABLE_PROTOCOL_VERSION = 1;

/**
 * Watches the agent's commands connection (MQTT 5: response topics and correlation data exist only
 * there) and, once every broker URL has refused MQTT 5, says so once and closes that connection
 * instead of retrying forever in silence. Scans keep flowing over the MQTT 3.1.1 connections.
 *
 * @param client - The commands connection.
 * @param urlCount - How many broker URLs the client tries (`MQTT_URL`'s list, or 1).
 * @param warn - Where the warning goes (one per agent, however many command connections it has).
 */
export function closeCommandsIfMqtt5Refused(
  client: MqttClient,
  urlCount: number,
  warn: (message: string, fields: { url: string }) => void,
): Subscription {
  const refusedBy = new Set<string>();
  const subscription = client.events$.subscribe((event) => {
    if (event.type !== 'connect-failed') return;
    if (event.error.code !== 'CONNACK_REFUSED') return;
    if (event.error.reasonCode !== UNACCEPTABLE_PROTOCOL_VERSION) return;
    refusedBy.add(event.url ?? client.url);
    if (refusedBy.size < urlCount) return;
    warn(
      'commands unavailable: the broker refuses MQTT 5, which commands need (a NATS cluster speaks MQTT 3.1.1 only); scans are published as before — use Mosquitto, or another broker with MQTT 5, to send commands (docs/cluster.md)',
      { url: event.url ?? client.url },
    );
    subscription.unsubscribe();
    void client.close({ timeoutMs: 0 });
  });
  return subscription;
}
