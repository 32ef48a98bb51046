import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';

/** One message as a plain mqtt.js subscriber received it: raw bytes, QoS and retain flag. */
export interface RawMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: number;
  readonly retain: boolean;
}

/** A third-party subscriber (mqtt.js, not our client) that keeps every message's bytes. */
export interface RawSubscriber {
  readonly client: MqttClient;
  readonly messages: RawMessage[];
  /** Messages on topics containing `/<type>/`, e.g. `on('NBIRTH')`. */
  on(type: string): RawMessage[];
  close(): Promise<void>;
}

/** Connects and subscribes to `filter` at QoS 1; resolves once the SUBACK is in. */
export async function rawSubscriber(url: string, filter: string): Promise<RawSubscriber> {
  const client = await mqtt.connectAsync(url, { clean: true, reconnectPeriod: 0 });
  const messages: RawMessage[] = [];
  client.on('message', (topic, payload, packet) =>
    messages.push({ topic, payload, qos: packet.qos, retain: packet.retain }),
  );
  await client.subscribeAsync(filter, { qos: 1 });
  return {
    client,
    messages,
    on: (type) => messages.filter((m) => m.topic.includes(`/${type}/`)),
    close: () => client.endAsync(true),
  };
}

const PROTO_DIR = fileURLToPath(new URL('../../../../packages/sparkplug/proto', import.meta.url));

/** Whether Debian's protoc is installed (.ci/run installs it). */
export const hasProtoc = spawnSync('protoc', ['--version']).status === 0;

/** The payload as `protoc --decode` prints it against the Sparkplug B .proto: an independent decoder. */
export function protocDecode(payload: Uint8Array): string {
  return execFileSync(
    'protoc',
    [`-I${PROTO_DIR}`, '--decode=org.eclipse.tahu.protobuf.Payload', 'sparkplug_b.proto'],
    { input: payload, cwd: PROTO_DIR },
  ).toString('utf8');
}
