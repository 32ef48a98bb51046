import { isIP } from 'node:net';
import { DEFAULT_SEED } from '@ot-mqtt/plc-sim';
import { z } from 'zod';
import { parseShard } from './fleet-plan.js';

/** One environment variable the agent reads: how it is documented and how it is validated. */
export interface EnvVar {
  /** Exact variable name (the architecture document's names are a contract). */
  readonly name: string;
  /** Default as the user would type it, or a sentence when it is derived (e.g. from MACHINE_ID). */
  readonly default: string;
  /** What values are allowed, in words — repeated in every error message about this variable. */
  readonly allowed: string;
  /** What the variable does, one line. */
  readonly description: string;
  /** Secret values are never printed: not in errors, not in `--help`, not in logs. */
  readonly secret?: boolean;
  /** Group heading in `--help` and the docs. */
  readonly group: 'Broker' | 'Security' | 'Simulator' | 'Fleet' | 'Delivery' | 'Logging';
  /** Parses the raw string (never called with an empty string: empty counts as unset). */
  readonly schema: z.ZodType;
}

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;
const WHOLE = /^\d+$/;
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(WHOLE, 'not a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `below the minimum ${min}`).max(max, `above the maximum ${max}`));

const seconds = (min: number, max: number, { minExclusive = false } = {}) =>
  z
    .string()
    .regex(DECIMAL, 'not a number of seconds')
    .transform(Number)
    .pipe(
      z
        .number()
        .refine((v) => (minExclusive ? v > min : v >= min), {
          message: minExclusive ? `must be greater than ${min}` : `below the minimum ${min}`,
        })
        .refine((v) => v <= max, { message: `above the maximum ${max}` }),
    );

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(values, { message: `not one of ${values.join(', ')}` }));

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];
const bool = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .refine((v) => TRUE.includes(v) || FALSE.includes(v), { message: 'not a boolean' })
  .transform((v) => TRUE.includes(v));

/** A host name (RFC 1123, `_` tolerated as Docker service names use it), an IPv4 or an IPv6 address. */
const host = z
  .string()
  .transform((v) => v.trim())
  .refine((v) => isIP(v.replace(/^\[(.*)\]$/, '$1')) !== 0 || HOSTNAME.test(v), {
    message: 'not a host name or IP address (no scheme, port or path here: use MQTT_URL for those)',
  });

const URL_SCHEMES = ['mqtt:', 'mqtts:', 'ws:', 'wss:'];
const brokerUrl = z.string().superRefine((v, ctx) => {
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a URL' });
    return;
  }
  if (!URL_SCHEMES.includes(url.protocol))
    ctx.addIssue({ code: 'custom', message: `scheme ${url.protocol} is not supported` });
  else if (!url.hostname) ctx.addIssue({ code: 'custom', message: 'no host in the URL' });
  // Credentials in a URL end up in process listings, shell history and logs.
  if (url.username || url.password)
    ctx.addIssue({
      code: 'custom',
      message: 'credentials in the URL are not accepted: use MQTT_USERNAME and MQTT_PASSWORD',
    });
});

/** MQTT 3.1.1 §4.7: a topic name for PUBLISH holds no wildcard; `$`-topics belong to the broker. */
const topicRoot = z
  .string()
  .max(200, 'longer than 200 characters')
  .refine((v) => !/[+#]/.test(v) && !v.includes(String.fromCharCode(0)), {
    message: 'contains a wildcard (+ or #) or NUL',
  })
  .refine((v) => !v.startsWith('$'), { message: 'starts with $ (reserved for the broker)' })
  .refine((v) => !v.startsWith('/') && !v.endsWith('/') && !v.includes('//'), {
    message: 'has an empty topic level (leading, trailing or double /)',
  });

const machineId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'not a valid machine id');

/** Printable ASCII without spaces: every broker accepts it, and it reads well in broker logs. */
const clientId = z
  .string()
  .max(128, 'longer than 128 characters')
  .regex(/^[\x21-\x7E]+$/, 'contains spaces or characters other than printable ASCII');

const filePath = z.string().min(1);

const shard = z.string().refine((v) => parseShard(v) !== undefined, {
  message: 'not i/n with whole numbers 0 <= i < n',
});

/**
 * Every environment variable of the agent, in the order `--help` lists them. The names of the
 * first three are the architecture document's and must not change.
 */
export const ENV_VARS = [
  {
    name: 'MQTT_BROKER_HOST',
    default: 'localhost',
    allowed: 'a host name or an IPv4/IPv6 address',
    description: 'Broker host.',
    group: 'Broker',
    schema: host,
  },
  {
    name: 'MQTT_BROKER_PORT',
    default: '1883 (8883 with MQTT_TLS=true)',
    allowed: 'a TCP port, 1-65535',
    description: 'Broker port.',
    group: 'Broker',
    schema: wholeNumber(1, 65535),
  },
  {
    name: 'MQTT_URL',
    default: '(unset: mqtt://MQTT_BROKER_HOST:MQTT_BROKER_PORT)',
    allowed: 'a URL with scheme mqtt://, mqtts://, ws:// or wss://, without credentials',
    description:
      'Full broker URL; overrides MQTT_BROKER_HOST/PORT (e.g. ws://host:9001 for WebSockets).',
    group: 'Broker',
    schema: brokerUrl,
  },
  {
    name: 'MQTT_CLIENT_ID',
    default: 'ot-mqtt-agent-<MACHINE_ID> (fleets: see docs/scaling.md)',
    allowed: '1-128 printable ASCII characters, no spaces',
    description:
      'MQTT client id; stable so the broker keeps the session (and queued messages) across reconnects. With CONNECTION_MODE=per-filler the prefix of one id per filler.',
    group: 'Broker',
    schema: clientId,
  },
  {
    name: 'MQTT_KEEPALIVE',
    default: '60',
    allowed: 'whole seconds, 0-65535 (0 disables keepalive)',
    description: 'MQTT keepalive interval in seconds.',
    group: 'Broker',
    schema: wholeNumber(0, 65535),
  },
  {
    name: 'MQTT_USERNAME',
    default: '(none: anonymous)',
    allowed: 'any non-empty text',
    description: 'User name for broker authentication.',
    group: 'Security',
    schema: z.string().max(65535, 'longer than 65535 characters'),
  },
  {
    name: 'MQTT_PASSWORD',
    default: '(none)',
    allowed: 'any non-empty text; requires MQTT_USERNAME; not with MQTT_PASSWORD_FILE',
    description: 'Password for broker authentication (prefer MQTT_PASSWORD_FILE).',
    group: 'Security',
    secret: true,
    schema: z.string().max(65535, 'longer than 65535 characters'),
  },
  {
    name: 'MQTT_PASSWORD_FILE',
    default: '(none)',
    allowed: 'path of a readable file (first line is the password); requires MQTT_USERNAME',
    description: 'File holding the password (Docker/Kubernetes secrets).',
    group: 'Security',
    schema: filePath,
  },
  {
    name: 'MQTT_TLS',
    default: 'false (true for mqtts:// and wss:// URLs)',
    allowed: 'true or false (also 1/0, yes/no, on/off)',
    description: 'Connect over TLS (mqtts://MQTT_BROKER_HOST:MQTT_BROKER_PORT).',
    group: 'Security',
    schema: bool,
  },
  {
    name: 'MQTT_CA_FILE',
    default: "(none: the system's trusted CAs)",
    allowed: 'path of a readable PEM file; TLS only',
    description: 'CA certificate(s) the broker certificate must chain to.',
    group: 'Security',
    schema: filePath,
  },
  {
    name: 'MQTT_CERT_FILE',
    default: '(none)',
    allowed: 'path of a readable PEM file; TLS only; requires MQTT_KEY_FILE',
    description: 'Client certificate for certificate authentication.',
    group: 'Security',
    schema: filePath,
  },
  {
    name: 'MQTT_KEY_FILE',
    default: '(none)',
    allowed: 'path of a readable PEM file; TLS only; requires MQTT_CERT_FILE',
    description: 'Private key of the client certificate.',
    group: 'Security',
    schema: filePath,
  },
  {
    name: 'MQTT_TLS_SERVERNAME',
    default: '(the broker host)',
    allowed: 'a host name; TLS only',
    description:
      'Name the broker certificate must carry, when it differs from the host you connect to (e.g. an IP address).',
    group: 'Security',
    schema: host,
  },
  {
    name: 'MACHINE_ID',
    default: 'filler-01 (fleet prefix: filler)',
    allowed: '1-64 characters: letters, digits, . _ - (starting with a letter or digit)',
    description:
      'Machine id carried in every payload and in the default client id; with FILLER_COUNT > 1 the prefix of the numbered ids (filler-0001, filler-0002, …).',
    group: 'Simulator',
    schema: machineId,
  },
  {
    name: 'PUBLISH_INTERVAL',
    default: '2.0',
    allowed: 'seconds, greater than 0 and at most 86400 (e.g. 0.5, 2, 10)',
    description: 'Seconds between two scans published.',
    group: 'Simulator',
    schema: seconds(0, 86400, { minExclusive: true }).refine((v) => v >= 0.01, {
      message: 'below the minimum 0.01',
    }),
  },
  {
    name: 'SIM_SEED',
    default: `${DEFAULT_SEED} (the simulator's default: every run replays the same)`,
    allowed: 'a whole number, 0-4294967295',
    description: 'Simulator seed: the same seed replays the same run.',
    group: 'Simulator',
    schema: wholeNumber(0, 4294967295),
  },
  {
    name: 'SIM_TIME_SCALE',
    default: '1',
    allowed: 'a number greater than 0 and at most 1000',
    description:
      'Simulated seconds per real second (e.g. 10 runs the filler ten times faster than real time).',
    group: 'Simulator',
    schema: seconds(0, 1000, { minExclusive: true }),
  },
  {
    name: 'FILLER_COUNT',
    default: '1',
    allowed: 'a whole number, 1-100000',
    description:
      'Fillers in the fleet (all shards together). Above 1 each gets its own machine id, seed-derived behaviour and topic level <TOPIC_ROOT>/<machine id>/, scans spread over the interval.',
    group: 'Fleet',
    schema: wholeNumber(1, 100_000),
  },
  {
    name: 'FILLER_SHARD',
    default: '0/1 (the whole fleet)',
    allowed: 'i/n with whole numbers 0 <= i < n <= FILLER_COUNT',
    description:
      'This agent simulates slice i of n of the machines 1..FILLER_COUNT: n agents started with 0/n … (n-1)/n publish the fleet once, without overlap.',
    group: 'Fleet',
    schema: shard,
  },
  {
    name: 'CONNECTION_MODE',
    default: 'shared',
    allowed: 'shared or per-filler',
    description:
      'shared: one MQTT connection for all fillers; per-filler: one per filler, each with its own client id and last will, as a plant of real PLCs has.',
    group: 'Fleet',
    schema: oneOf(['shared', 'per-filler'] as const),
  },
  {
    name: 'TOPIC_ROOT',
    default: 'plc/bottlefiller',
    allowed: 'an MQTT topic without wildcards (+ #), empty levels or a leading $',
    description: 'Topic prefix of the seven data topics and the connection topic.',
    group: 'Delivery',
    schema: topicRoot,
  },
  {
    name: 'OUTBOX_MAX_MESSAGES',
    default: '10000 (shared fleet connection: 14 per filler, if more)',
    allowed: 'a whole number, 1-10000000',
    description:
      'Messages buffered per connection while the broker is unreachable (10000 = about 48 min of scans of one filler at 2 s).',
    group: 'Delivery',
    schema: wholeNumber(1, 10_000_000),
  },
  {
    name: 'OUTBOX_BUDGET_MB',
    default: '128',
    allowed: 'a whole number of MiB, 1-65536',
    description:
      'Memory for buffered messages of the whole agent, all connections together (each message counted as its bytes + 640). When reached, OUTBOX_OVERFLOW applies to the oldest buffered scans across the fleet.',
    group: 'Delivery',
    schema: wholeNumber(1, 65_536),
  },
  {
    name: 'OUTBOX_OVERFLOW',
    default: 'drop-oldest',
    allowed: 'drop-oldest or reject-new',
    description: 'What a full buffer does: drop the oldest message, or refuse the new one.',
    group: 'Delivery',
    schema: oneOf(['drop-oldest', 'reject-new'] as const),
  },
  {
    name: 'SHUTDOWN_TIMEOUT',
    default: '5',
    allowed: 'seconds, 0-300',
    description:
      'On SIGINT/SIGTERM, how long to wait for unacknowledged messages before disconnecting.',
    group: 'Delivery',
    schema: seconds(0, 300),
  },
  {
    name: 'LOG_LEVEL',
    default: 'info',
    allowed: 'error, warn, info or debug',
    description: 'Least severe level logged.',
    group: 'Logging',
    schema: oneOf(['error', 'warn', 'info', 'debug'] as const),
  },
  {
    name: 'LOG_FORMAT',
    default: 'text',
    allowed: 'text or json',
    description: 'text: ISO timestamp, level, message; json: one JSON object per line.',
    group: 'Logging',
    schema: oneOf(['text', 'json'] as const),
  },
  {
    name: 'SUMMARY_INTERVAL',
    default: '30',
    allowed: 'seconds, 0-86400 (0 turns the summary off)',
    description: 'Seconds between two one-line summaries (scans, messages, acks, drops).',
    group: 'Logging',
    schema: seconds(0, 86400),
  },
] as const satisfies readonly EnvVar[];

/** Name of a variable the agent reads. */
export type EnvVarName = (typeof ENV_VARS)[number]['name'];
