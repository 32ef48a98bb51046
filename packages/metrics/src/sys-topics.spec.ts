import { describe, expect, it } from 'vitest';
import { createBrokerSysMetrics } from './broker-sys-metrics.js';
import { createMetricsRegistry } from './metrics-registry.js';
import { valueOf } from './metric-values.test-helper.js';
import { parseSysTopic } from './sys-topics.js';

describe('$SYS topics', () => {
  it('map Mosquitto’s figures to metrics, uptime included', () => {
    expect(parseSysTopic('$SYS/broker/clients/connected', '3')).toEqual({
      name: 'otmqtt_broker_clients_connected',
      value: 3,
    });
    expect(parseSysTopic('$SYS/broker/uptime', '42 seconds')).toEqual({
      name: 'otmqtt_broker_uptime_seconds',
      value: 42,
    });
    expect(parseSysTopic('$SYS/broker/retained messages/count', '7')?.name).toBe(
      'otmqtt_broker_retained_messages',
    );
    expect(parseSysTopic('$SYS/broker/load/publish/dropped/15min', '0.50')).toEqual({
      name: 'otmqtt_broker_load_per_minute',
      labels: { kind: 'publish_dropped', window: '15min' },
      value: 0.5,
    });
  });

  it('ignore unknown topics and payloads that are not numbers', () => {
    expect(parseSysTopic('$SYS/broker/version', 'mosquitto version 2.0.11')).toBeUndefined();
    expect(parseSysTopic('$SYS/broker/clients/connected', 'lots')).toBeUndefined();
    expect(parseSysTopic('$SYS/broker/load/evil/label/1min', '1')).toBeUndefined();
    expect(parseSysTopic('$SYS/broker/load/messages/received/2min', '1')).toBeUndefined();
  });
});

describe('broker $SYS metrics', () => {
  it('report the broker up only while connected and its $SYS figures are fresh', async () => {
    let now = 1_000_000;
    const registry = createMetricsRegistry({ app: 'broker-exporter', processMetrics: false });
    const sys = createBrokerSysMetrics({ registry, staleAfterMs: 30_000, now: () => now });
    expect(await valueOf(registry, 'otmqtt_broker_up')).toBe(0);
    sys.setConnected(true);
    expect(await valueOf(registry, 'otmqtt_broker_up')).toBe(0);
    sys.update('$SYS/broker/messages/received', '1500');
    sys.update('$SYS/broker/version', 'mosquitto version 2.0.11');
    sys.update('$SYS/broker/load/messages/received/1min', '12.5');
    expect(await valueOf(registry, 'otmqtt_broker_up')).toBe(1);
    expect(await valueOf(registry, 'otmqtt_broker_messages_received_total')).toBe(1500);
    expect(await valueOf(registry, 'otmqtt_broker_info', { version: '2.0.11' })).toBe(1);
    expect(
      await valueOf(registry, 'otmqtt_broker_load_per_minute', {
        kind: 'messages_received',
        window: '1min',
      }),
    ).toBe(12.5);
    now += 31_000;
    expect(await valueOf(registry, 'otmqtt_broker_up')).toBe(0);
    expect(await valueOf(registry, 'otmqtt_broker_sys_age_seconds')).toBe(31);
    sys.update('$SYS/broker/uptime', '60 seconds');
    expect(await valueOf(registry, 'otmqtt_broker_up')).toBe(1);
    sys.setConnected(false);
    expect(await valueOf(registry, 'otmqtt_broker_up')).toBe(0);
  });

  it('follow a broker restart: counters fall back (Prometheus treats it as a reset)', async () => {
    const registry = createMetricsRegistry({ app: 'broker-exporter', processMetrics: false });
    const sys = createBrokerSysMetrics({ registry });
    sys.update('$SYS/broker/messages/sent', '900');
    expect(await valueOf(registry, 'otmqtt_broker_messages_sent_total')).toBe(900);
    sys.update('$SYS/broker/messages/sent', '3');
    expect(await valueOf(registry, 'otmqtt_broker_messages_sent_total')).toBe(3);
    // Topics never published stay absent rather than reporting a made-up 0.
    expect(await valueOf(registry, 'otmqtt_broker_heap_bytes')).toBeUndefined();
  });
});
