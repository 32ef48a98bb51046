import { envVar } from './env-var.js';
import {
  BOOLEAN_ALLOWED,
  boolean,
  brokerUrlList,
  clientId,
  filePath,
  host,
  oneOfNumbers,
  text,
  wholeNumber,
} from './env-schemas.js';

// The broker variables every app shares. Names and defaults are the architecture document's
// (MQTT_BROKER_HOST, MQTT_BROKER_PORT) or were documented by the first release: a contract.
// An app may restate its own words, its own default and a narrower rule (restateEnv), never a
// wider rule: every value an app accepts is one the shared rule accepts too.

/** `MQTT_BROKER_HOST`: broker host (architecture document; default `localhost`). */
export const MQTT_BROKER_HOST = envVar({
  name: 'MQTT_BROKER_HOST',
  group: 'Broker',
  description: 'Broker host.',
  allowed: 'a host name or an IPv4/IPv6 address',
  schema: host,
  default: 'localhost',
});

/** `MQTT_BROKER_PORT`: broker port (architecture document; 1883, or 8883 with TLS). */
export const MQTT_BROKER_PORT = envVar({
  name: 'MQTT_BROKER_PORT',
  group: 'Broker',
  description: 'Broker port.',
  allowed: 'a TCP port, 1-65535',
  schema: wholeNumber(1, 65535),
  default: 1883,
  defaultText: '1883 (8883 with MQTT_TLS=true)',
});

/** `MQTT_URL`: a full broker URL that overrides host, port and TLS. */
export const MQTT_URL = envVar({
  name: 'MQTT_URL',
  group: 'Broker',
  description:
    'Full broker URL; overrides MQTT_BROKER_HOST/PORT (e.g. ws://host:9001 for WebSockets). Several, comma-separated (the nodes of a cluster): the client fails over between them in turn.',
  allowed:
    'URLs with scheme mqtt://, mqtts://, ws:// or wss://, without credentials, comma-separated (at most 16, all TLS or all plain)',
  schema: brokerUrlList,
  defaultText: '(unset: mqtt://MQTT_BROKER_HOST:MQTT_BROKER_PORT)',
});

/** `MQTT_CLIENT_ID`: the client id; each app documents its own default. */
export const MQTT_CLIENT_ID = envVar({
  name: 'MQTT_CLIENT_ID',
  group: 'Broker',
  description:
    'MQTT client id; stable so the broker keeps the session (and queued messages) across reconnects.',
  allowed: '1-128 printable ASCII characters, no spaces',
  schema: clientId,
  defaultText: '(unset: the app names itself)',
});

/** `MQTT_KEEPALIVE`: keepalive in seconds (default 60). */
export const MQTT_KEEPALIVE = envVar({
  name: 'MQTT_KEEPALIVE',
  group: 'Broker',
  description: 'MQTT keepalive interval in seconds.',
  allowed: 'whole seconds, 0-65535 (0 disables keepalive)',
  schema: wholeNumber(0, 65535),
  default: 60,
});

/** `MQTT_CLEAN_SESSION`: start without a session (for apps that let the user choose). */
export const MQTT_CLEAN_SESSION = envVar({
  name: 'MQTT_CLEAN_SESSION',
  group: 'Broker',
  description: 'Start with a clean session.',
  allowed: BOOLEAN_ALLOWED,
  schema: boolean,
  defaultText: 'false with MQTT_CLIENT_ID, else true',
});

/** `MQTT_PROTOCOL_VERSION`: 4 (MQTT 3.1.1) or 5 (for apps that let the user choose). */
export const MQTT_PROTOCOL_VERSION = envVar({
  name: 'MQTT_PROTOCOL_VERSION',
  group: 'Broker',
  description: 'MQTT protocol level.',
  allowed: '4 (MQTT 3.1.1) or 5 (MQTT 5)',
  schema: oneOfNumbers([4, 5] as const),
  default: 4,
});

/** `MQTT_USERNAME`: user name for broker authentication. */
export const MQTT_USERNAME = envVar({
  name: 'MQTT_USERNAME',
  group: 'Security',
  description: 'User name for broker authentication.',
  allowed: 'any non-empty text',
  schema: text(65535),
  defaultText: '(none: anonymous)',
});

/** `MQTT_PASSWORD`: password (secret: never printed). */
export const MQTT_PASSWORD = envVar({
  name: 'MQTT_PASSWORD',
  group: 'Security',
  description: 'Password for broker authentication (prefer MQTT_PASSWORD_FILE).',
  allowed: 'any non-empty text; requires MQTT_USERNAME; not with MQTT_PASSWORD_FILE',
  secret: true,
  schema: text(65535),
  defaultText: '(none)',
});

/** `MQTT_PASSWORD_FILE`: file whose first line is the password (Docker/Kubernetes secrets). */
export const MQTT_PASSWORD_FILE = envVar({
  name: 'MQTT_PASSWORD_FILE',
  group: 'Security',
  description: 'File holding the password (Docker/Kubernetes secrets).',
  allowed: 'path of a readable file (first line is the password); requires MQTT_USERNAME',
  schema: filePath,
  defaultText: '(none)',
});

/** `MQTT_TLS`: connect over TLS with host and port. */
export const MQTT_TLS = envVar({
  name: 'MQTT_TLS',
  group: 'Security',
  description: 'Connect over TLS (mqtts://MQTT_BROKER_HOST:MQTT_BROKER_PORT).',
  allowed: BOOLEAN_ALLOWED,
  schema: boolean,
  default: false,
  defaultText: 'false (true for mqtts:// and wss:// URLs)',
});

/** `MQTT_CA_FILE`: CA certificate(s) to trust (PEM). */
export const MQTT_CA_FILE = envVar({
  name: 'MQTT_CA_FILE',
  group: 'Security',
  description: 'CA certificate(s) the broker certificate must chain to.',
  allowed: 'path of a readable PEM file; TLS only',
  schema: filePath,
  defaultText: "(none: the system's trusted CAs)",
});

/** `MQTT_CERT_FILE`: client certificate (PEM), with `MQTT_KEY_FILE`. */
export const MQTT_CERT_FILE = envVar({
  name: 'MQTT_CERT_FILE',
  group: 'Security',
  description: 'Client certificate for certificate authentication.',
  allowed: 'path of a readable PEM file; TLS only; requires MQTT_KEY_FILE',
  schema: filePath,
  defaultText: '(none)',
});

/** `MQTT_KEY_FILE`: private key of the client certificate (PEM), with `MQTT_CERT_FILE`. */
export const MQTT_KEY_FILE = envVar({
  name: 'MQTT_KEY_FILE',
  group: 'Security',
  description: 'Private key of the client certificate.',
  allowed: 'path of a readable PEM file; TLS only; requires MQTT_CERT_FILE',
  schema: filePath,
  defaultText: '(none)',
});

/** `MQTT_TLS_SERVERNAME`: name the broker certificate must carry, when it differs from the host. */
export const MQTT_TLS_SERVERNAME = envVar({
  name: 'MQTT_TLS_SERVERNAME',
  group: 'Security',
  description:
    'Name the broker certificate must carry, when it differs from the host you connect to (e.g. an IP address).',
  allowed: 'a host name; TLS only',
  schema: host,
  defaultText: '(the broker host)',
});

/**
 * The broker connection variables every app reads, in `--help` order: where the broker is
 * (`Broker` group) and how to authenticate (`Security` group). Spread them into an app's table;
 * {@link resolveMqttConnection} turns their values into client options.
 *
 * @example
 * ```ts
 * import { MQTT_ENV, LOG_LEVEL, parseEnv } from '@ot-mqtt/app-kit';
 *
 * const ENV = [...MQTT_ENV, LOG_LEVEL] as const;
 * const parsed = parseEnv(ENV, process.env);
 * ```
 */
export const MQTT_ENV = [
  MQTT_BROKER_HOST,
  MQTT_BROKER_PORT,
  MQTT_URL,
  MQTT_CLIENT_ID,
  MQTT_KEEPALIVE,
  MQTT_USERNAME,
  MQTT_PASSWORD,
  MQTT_PASSWORD_FILE,
  MQTT_TLS,
  MQTT_CA_FILE,
  MQTT_CERT_FILE,
  MQTT_KEY_FILE,
  MQTT_TLS_SERVERNAME,
] as const;
