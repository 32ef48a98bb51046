/** How one `$SYS` topic becomes a Prometheus sample. */
export interface SysSample {
  /** Metric name (without labels). */
  readonly name: string;
  /** Label values, if the metric has labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The value. */
  readonly value: number;
}

/** One row of the mapping: a `$SYS` topic → a metric. */
export interface SysMetricDefinition {
  /** Topic below `$SYS/broker/`. */
  readonly topic: string;
  /** Metric name. */
  readonly name: string;
  /** `counter` for totals since broker start (Prometheus copes with the reset on restart), else `gauge`. */
  readonly type: 'counter' | 'gauge';
  /** HELP text. */
  readonly help: string;
}

const def = (
  topic: string,
  name: string,
  type: 'counter' | 'gauge',
  help: string,
): SysMetricDefinition => ({ topic, name: `otmqtt_broker_${name}`, type, help });

/**
 * Mosquitto 2's `$SYS/broker/…` topics and the metric each becomes (the `load/…` moving averages are
 * {@link parseSysTopic}'s own family, `otmqtt_broker_load_per_minute{kind,window}`).
 */
// One row per topic, aligned: a table is read down its columns.
// prettier-ignore
export const SYS_METRICS: readonly SysMetricDefinition[] = [
  def('clients/connected',         'clients_connected',               'gauge',   'Clients connected now'),
  def('clients/disconnected',      'clients_disconnected',            'gauge',   'Persistent sessions of clients not connected now'),
  def('clients/total',             'clients',                         'gauge',   'Clients with a session (connected or not)'),
  def('clients/maximum',           'clients_maximum',                 'gauge',   'Most clients connected at once since start'),
  def('clients/expired',           'clients_expired_total',           'counter', 'Persistent sessions expired'),
  def('messages/received',         'messages_received_total',         'counter', 'MQTT packets of any type received'),
  def('messages/sent',             'messages_sent_total',             'counter', 'MQTT packets of any type sent'),
  def('messages/stored',           'messages_stored',                 'gauge',   'Messages held in the store (retained + queued)'),
  def('store/messages/count',      'store_messages',                  'gauge',   'Messages held in the store'),
  def('store/messages/bytes',      'store_messages_bytes',            'gauge',   'Payload bytes held in the store'),
  def('publish/messages/received', 'publish_messages_received_total', 'counter', 'PUBLISH messages received'),
  def('publish/messages/sent',     'publish_messages_sent_total',     'counter', 'PUBLISH messages sent'),
  def('publish/messages/dropped',  'publish_messages_dropped_total',  'counter', 'PUBLISH messages dropped (queue limits of offline or slow clients)'),
  def('publish/bytes/received',    'publish_received_bytes_total',    'counter', 'PUBLISH payload bytes received'),
  def('publish/bytes/sent',        'publish_sent_bytes_total',        'counter', 'PUBLISH payload bytes sent'),
  def('bytes/received',            'received_bytes_total',            'counter', 'Bytes received'),
  def('bytes/sent',                'sent_bytes_total',                'counter', 'Bytes sent'),
  def('subscriptions/count',       'subscriptions',                   'gauge',   'Subscriptions active'),
  def('retained messages/count',   'retained_messages',               'gauge',   'Retained messages'),
  def('heap/current',              'heap_bytes',                      'gauge',   'Heap in use (builds with memory tracking)'),
  def('heap/maximum',              'heap_maximum_bytes',              'gauge',   'Largest heap since start (builds with memory tracking)'),
  def('uptime',                    'uptime_seconds',                  'gauge',   'Seconds since the broker started'),
];

/** The family of the `$SYS/broker/load/…/{1min,5min,15min}` moving averages. */
export const SYS_LOAD_METRIC = 'otmqtt_broker_load_per_minute';

const BY_TOPIC = new Map(SYS_METRICS.map((d) => [`$SYS/broker/${d.topic}`, d]));
// Only the kinds Mosquitto publishes: a label value must never come from an unknown topic.
const LOAD =
  /^\$SYS\/broker\/load\/(messages\/received|messages\/sent|publish\/received|publish\/sent|publish\/dropped|bytes\/received|bytes\/sent|sockets|connections)\/(1min|5min|15min)$/u;

/**
 * Turns one `$SYS` message into a sample, or `undefined` for topics without a metric and payloads
 * that are not numbers. Mosquitto writes numbers as text, uptime as `"<n> seconds"`.
 *
 * @example
 * ```ts
 * parseSysTopic('$SYS/broker/clients/connected', '3');
 * // → { name: 'otmqtt_broker_clients_connected', value: 3 }
 * parseSysTopic('$SYS/broker/load/messages/received/1min', '120.5');
 * // → { name: 'otmqtt_broker_load_per_minute', labels: { kind: 'messages_received', window: '1min' }, value: 120.5 }
 * ```
 */
export function parseSysTopic(topic: string, payload: string): SysSample | undefined {
  const number = /^\s*(-?\d+(?:\.\d+)?)(?:\s+seconds)?\s*$/u.exec(payload);
  if (number === null) return undefined;
  const value = Number(number[1]);
  const known = BY_TOPIC.get(topic);
  if (known !== undefined) return { name: known.name, value };
  const load = LOAD.exec(topic);
  if (load === null) return undefined;
  return {
    name: SYS_LOAD_METRIC,
    labels: { kind: load[1]!.replace('/', '_'), window: load[2]! },
    value,
  };
}
