import { createBrokerTest } from '@ot-mqtt/broker/testing';
import { detectCompression, inflatePayload } from '@ot-mqtt/sparkplug';
import { parsePayload } from '@ot-mqtt/tag-model';
import { afterEach, beforeAll, describe, expect } from 'vitest';
import { assertBuilt, killAll, spawnAgent, waitFor } from './agent-process.test-helper.js';
import { rawSubscriber, type RawSubscriber } from './sparkplug/raw-subscriber.test-helper.js';

const it = createBrokerTest();
const subscribers: RawSubscriber[] = [];
afterEach(async () => {
  killAll();
  await Promise.all(subscribers.splice(0).map((s) => s.close()));
});

describe('agent with PAYLOAD_COMPRESSION', () => {
  beforeAll(assertBuilt);

  it.for(['deflate', 'gzip'] as const)(
    '%s: the seven scan topics carry compressed JSON that inflates to valid payloads; connection and packml stay plain',
    async (compression, { broker }) => {
      const root = `compressed/${compression}`;
      const sub = await rawSubscriber(broker.url, `${root}/#`);
      subscribers.push(sub);
      const { hostname, port } = new URL(broker.url);
      spawnAgent({
        MQTT_BROKER_HOST: hostname,
        MQTT_BROKER_PORT: port,
        TOPIC_ROOT: root,
        PUBLISH_INTERVAL: '0.1',
        PAYLOAD_COMPRESSION: compression,
      });
      // Retained state beside the seven scan topics stays plain: connection, packml.
      const plainTopics = [`${root}/connection`, `${root}/packml`];
      const scans = () => sub.messages.filter((m) => !plainTopics.includes(m.topic));
      await waitFor(() => scans().length >= 14, 'two compressed scans');
      for (const m of scans()) {
        expect(detectCompression(m.payload)).toBe(compression);
        const parsed = parsePayload(m.topic, inflatePayload(m.payload), { root });
        expect(parsed.ok, `${m.topic}: ${JSON.stringify(parsed)}`).toBe(true);
      }
      const online = sub.messages.find((m) => m.topic === `${root}/connection`);
      expect(detectCompression(online!.payload)).toBe('none');
      expect(JSON.parse(online!.payload.toString('utf8'))).toMatchObject({ status: 'online' });
    },
  );
});
