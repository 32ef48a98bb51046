import type { InstrumentableClient } from '@ot-mqtt/metrics';
import type { MqttClient } from 'mqtt';

type ClientEvent = { readonly type: string; readonly reason?: string };

/**
 * A plain mqtt.js client (the gateway's ingest connections, which need mqtt.js's `handleMessage`)
 * seen as `instrumentMqttClients` expects of an `@ot-mqtt/mqtt-client` client: its state, connects
 * and disconnects, and PUBLISH packets received. It publishes nothing, so its outbox is empty.
 */
export function instrumentableMqttJs(client: MqttClient): InstrumentableClient {
  let received = 0;
  let connects = 0;
  client.on('packetreceive', (packet) => {
    if (packet.cmd === 'publish') received++;
  });
  client.on('connect', () => connects++);
  return {
    state: {
      get status() {
        if (client.connected) return 'connected' as const;
        if (client.disconnected || client.disconnecting) return 'closed' as const;
        return client.reconnecting ? ('reconnecting' as const) : ('connecting' as const);
      },
    },
    events$: {
      subscribe(next: (event: ClientEvent) => void) {
        let up = client.connected;
        const onConnect = () => (up = true);
        const onClose = () => {
          if (up) next({ type: 'disconnected' });
          up = false;
        };
        const onError = (error: Error) => {
          if (!up) next({ type: 'connect-failed', reason: error.message });
        };
        client.on('connect', onConnect);
        client.on('close', onClose);
        client.on('error', onError);
        return {
          unsubscribe() {
            client.off('connect', onConnect);
            client.off('close', onClose);
            client.off('error', onError);
          },
        };
      },
    },
    stats: () => ({
      sent: 0,
      received,
      acknowledged: 0,
      reconnects: Math.max(0, connects - 1),
      outboxDepth: 0,
      outboxBytes: 0,
      inFlight: 0,
    }),
  };
}
