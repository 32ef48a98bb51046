import { signal } from '@preact/signals';
import type { MqttMessage, PublishOptions } from '@ot-mqtt/mqtt-client';
import { describe, expect, it } from 'vitest';
import type { BrokerConnection } from '../../live/broker-connection.js';
import { FleetStore } from '../../live/fleet-store.js';
import { CommandModel } from './command-model.js';

interface Sent {
  topic: string;
  payload: string;
  options: PublishOptions | undefined;
}

function modelWithBroker(user?: string) {
  const sent: Sent[] = [];
  const connection = {
    publish: (topic: string, payload: string, options: PublishOptions) => {
      sent.push({ topic, payload, options });
      return Promise.resolve();
    },
  } as unknown as BrokerConnection;
  const model = new CommandModel(new FleetStore(), () => connection, signal(user));
  return { model, sent };
}

const reply = (body: unknown): MqttMessage => ({
  topic: 'plc/bottlefiller/filler-0002/command/reply',
  payload: new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body)),
  qos: 1,
  retain: false,
  dup: false,
});

describe('CommandModel', () => {
  it('sends an MQTT 5 request whose response topic is the reply topic the page subscribes to', async () => {
    const { model, sent } = modelWithBroker();
    await model.send('filler-0002', 'stop');
    expect(sent).toHaveLength(1);
    const [request] = sent;
    expect(request!.topic).toBe('plc/bottlefiller/filler-0002/command');
    const { requestId } = JSON.parse(request!.payload) as { requestId: string };
    expect(request!.options?.qos).toBe(1);
    expect(request!.options?.properties?.responseTopic).toBe(
      'plc/bottlefiller/filler-0002/command/reply',
    );
    expect(new TextDecoder().decode(request!.options?.properties?.correlationData)).toBe(requestId);
    expect(model.entries.value[0]).toMatchObject({ requestId, status: 'sent' });
  });

  it('shows the reply with its reason and the PackML state it reports', async () => {
    const { model, sent } = modelWithBroker();
    await model.send('filler-0002', 'start');
    const { requestId } = JSON.parse(sent[0]!.payload) as { requestId: string };
    model.onReply(
      reply({
        requestId,
        accepted: false,
        reason: 'reset first: the machine starts from Idle (state Stopped)',
        packml: { state: 'Stopped' },
        duplicate: true,
      }),
    );
    expect(model.entries.value[0]).toMatchObject({
      status: 'refused',
      reason: 'reset first: the machine starts from Idle (state Stopped)',
      packmlState: 'Stopped',
      duplicate: true,
    });
  });

  it('ignores replies that are not JSON, lack fields or answer another request', async () => {
    const { model } = modelWithBroker();
    await model.send('filler-0002', 'reset');
    const before = model.entries.value;
    for (const junk of [
      '{',
      '"text"',
      'null',
      { accepted: true },
      { requestId: 'other', accepted: true },
    ])
      model.onReply(reply(junk));
    expect(model.entries.value.map((e) => e.status)).toEqual(before.map((e) => e.status));
  });

  it('offers no commands to the read-only broker accounts', () => {
    expect(modelWithBroker('dashboard').model.permission.value.allowed).toBe(false);
    expect(modelWithBroker('operator').model.permission.value.allowed).toBe(true);
  });
});
