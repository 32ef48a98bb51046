import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from './metrics-registry.js';
import { valueOf } from './metric-values.test-helper.js';
import { instrumentMqttClients, type InstrumentableClient } from './mqtt-client-metrics.js';

type Status = InstrumentableClient['state']['status'];
const fakeClient = (status: Status, outbox: number) => {
  const events$ = new Subject<{ type: string; reason?: string }>();
  const client: InstrumentableClient = {
    state: { status },
    events$,
    stats: () => ({
      sent: 10,
      received: 4,
      acknowledged: 9,
      reconnects: 1,
      outboxDepth: outbox,
      outboxBytes: outbox * 100,
      inFlight: 1,
    }),
  };
  return { client, events$ };
};

describe('MQTT client metrics', () => {
  it('sums the stats of every client and counts connections per state', async () => {
    const registry = createMetricsRegistry({ app: 'agent', processMetrics: false });
    const a = fakeClient('connected', 2);
    const b = fakeClient('reconnecting', 5);
    instrumentMqttClients(registry, [a.client, b.client], {
      outboxCapacity: { messages: 2000, bytes: 1 << 24 },
    });
    expect(await valueOf(registry, 'otmqtt_mqtt_connections', { state: 'connected' })).toBe(1);
    expect(await valueOf(registry, 'otmqtt_mqtt_connections', { state: 'reconnecting' })).toBe(1);
    expect(await valueOf(registry, 'otmqtt_mqtt_connections', { state: 'closed' })).toBe(0);
    expect(await valueOf(registry, 'otmqtt_mqtt_messages_sent_total')).toBe(20);
    expect(await valueOf(registry, 'otmqtt_mqtt_messages_acknowledged_total')).toBe(18);
    expect(await valueOf(registry, 'otmqtt_mqtt_reconnects_total')).toBe(2);
    expect(await valueOf(registry, 'otmqtt_mqtt_outbox_messages')).toBe(7);
    expect(await valueOf(registry, 'otmqtt_mqtt_outbox_bytes')).toBe(700);
    expect(await valueOf(registry, 'otmqtt_mqtt_inflight_messages')).toBe(2);
    expect(await valueOf(registry, 'otmqtt_mqtt_outbox_capacity_messages')).toBe(2000);
    expect(await valueOf(registry, 'otmqtt_mqtt_outbox_capacity_bytes')).toBe(16_777_216);
  });

  it('counts drops by reason, failed attempts and disconnects from the events', async () => {
    const registry = createMetricsRegistry({ app: 'agent', processMetrics: false });
    const a = fakeClient('connected', 0);
    const metrics = instrumentMqttClients(registry, [a.client]);
    expect(
      await valueOf(registry, 'otmqtt_mqtt_messages_dropped_total', { reason: 'drop-oldest' }),
    ).toBe(0);
    a.events$.next({ type: 'dropped', reason: 'drop-oldest' });
    a.events$.next({ type: 'dropped', reason: 'drop-oldest' });
    a.events$.next({ type: 'dropped', reason: 'not a known reason' });
    a.events$.next({ type: 'connect-failed' });
    a.events$.next({ type: 'disconnected' });
    expect(
      await valueOf(registry, 'otmqtt_mqtt_messages_dropped_total', { reason: 'drop-oldest' }),
    ).toBe(2);
    expect(await valueOf(registry, 'otmqtt_mqtt_messages_dropped_total', { reason: 'other' })).toBe(
      1,
    );
    expect(await valueOf(registry, 'otmqtt_mqtt_connect_failures_total')).toBe(1);
    expect(await valueOf(registry, 'otmqtt_mqtt_disconnects_total')).toBe(1);
    metrics.stop();
    a.events$.next({ type: 'disconnected' });
    expect(await valueOf(registry, 'otmqtt_mqtt_disconnects_total')).toBe(1);
  });
});
