import type { ClientEvent, ConnectionState, MqttClientError } from '@ot-mqtt/mqtt-client';
import type { Palette } from './ansi.js';
import type { LogLevel } from './config.js';
import { isoTime } from './format-message.js';
import type { MachineStats, TrackerEvent } from './machine-tracker.js';

/** Everything the viewer reports about itself: connection, client events, machines, statistics. */
export type ViewerEvent =
  | { readonly type: 'state'; readonly state: ConnectionState }
  | { readonly type: 'client'; readonly event: ClientEvent }
  | { readonly type: 'subscribe-error'; readonly filter: string; readonly error: MqttClientError }
  | { readonly type: 'stats'; readonly machines: readonly MachineStats[]; readonly filter: string }
  | TrackerEvent;

const LEVEL_RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** Whether an event of `level` is shown at the configured `threshold`. */
export const levelEnabled = (level: LogLevel, threshold: LogLevel): boolean =>
  LEVEL_RANK[level] <= LEVEL_RANK[threshold];

/** How important an event is. */
export function levelOf(e: ViewerEvent): LogLevel {
  switch (e.type) {
    case 'state':
      if (e.state.status === 'reconnecting') return 'warn';
      if (e.state.status === 'closed') return e.state.reason === 'user' ? 'info' : 'error';
      if (e.state.status === 'connecting') return e.state.attempt === 1 ? 'info' : 'debug';
      return 'info';
    case 'client':
      if (e.event.type === 'session-lost') return 'warn';
      if (e.event.type === 'subscribe-failed') return 'error';
      if (e.event.type === 'resubscribed') return 'info';
      return 'debug';
    case 'subscribe-error':
      return 'error';
    case 'gap':
    case 'reset':
    case 'stale':
    case 'duplicate':
      return 'warn';
    case 'connection':
      return e.status === 'offline' ? 'warn' : 'info';
    default:
      return 'info';
  }
}

// What to check for the refusals users actually hit (architecture document, troubleshooting guide).
const HINTS: Partial<Record<MqttClientError['code'], string>> = {
  CONNECTION_REFUSED:
    'is the broker running and listening there? (npx nx serve broker; MQTT_BROKER_HOST/PORT)',
  HOST_NOT_FOUND: 'check MQTT_BROKER_HOST or MQTT_URL',
  BAD_CREDENTIALS: 'check MQTT_USERNAME and MQTT_PASSWORD / MQTT_PASSWORD_FILE',
  NOT_AUTHORIZED: 'the broker refuses this user: check its password file and ACL',
  TLS_ERROR: 'check MQTT_CA_FILE, MQTT_TLS_SERVERNAME and the client certificate',
  CONNECT_TIMEOUT: 'the broker did not answer: check the port (TLS on a plain port?) and firewall',
  SUBSCRIBE_REJECTED: "the broker's ACL does not allow reading this filter",
  SESSION_TAKEN_OVER: 'another client connected with the same MQTT_CLIENT_ID',
};

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function errorText(error: MqttClientError): string {
  const hint = HINTS[error.code];
  return `${error.message} [${error.code}]${hint ? ` — ${hint}` : ''}`;
}

function statsLine(m: MachineStats): string {
  const latency = m.latency
    ? `latency p50 ${m.latency.p50.toFixed(0)} ms p99 ${m.latency.p99.toFixed(0)} ms`
    : 'latency n/a';
  const state = [m.connection ?? 'status unknown', ...(m.stale ? ['STALE'] : [])].join(', ');
  return (
    `${m.machineId}: ${m.ratePerSecond.toFixed(1)} msg/s, ${m.scans} scans, ${m.missing} missing, ` +
    `${m.duplicates} duplicates, ${m.resets} restarts, ${m.invalid} invalid, ${latency} (${state})`
  );
}

/** The event in words, for pretty and summary modes (without time or level). */
export function describeEvent(e: ViewerEvent, url: string, at: number): string {
  switch (e.type) {
    case 'state': {
      const s = e.state;
      switch (s.status) {
        case 'connecting':
          return `connecting to ${url} (attempt ${s.attempt})`;
        case 'connected':
          return `connected to ${url} (${s.sessionPresent ? 'session resumed' : 'new session'})`;
        case 'reconnecting':
          return `not connected: ${errorText(s.lastError)}; attempt ${s.attempt} in ${seconds(Math.max(0, s.nextRetryAt.getTime() - at))}`;
        case 'closed':
          return s.reason === 'user'
            ? 'disconnected'
            : `connection closed for good: ${errorText(s.reason)}`;
      }
      break;
    }
    case 'client': {
      const ev = e.event;
      switch (ev.type) {
        case 'resubscribed':
          return `subscribed again after reconnect: ${ev.filters.join(', ')}`;
        case 'session-lost':
          return 'the broker had lost the session: messages published while disconnected are gone';
        case 'subscribe-failed':
          return `subscription to ${ev.filter} refused: ${errorText(ev.error)}`;
        case 'disconnected':
          return `connection lost: ${errorText(ev.error)}`;
        case 'connect-failed':
          return `attempt ${ev.attempt} failed: ${errorText(ev.error)}`;
        default:
          return ev.type;
      }
    }
    case 'subscribe-error':
      return `cannot subscribe to ${e.filter}: ${errorText(e.error)}`;
    case 'stats':
      return e.machines.length === 0
        ? `no messages yet on ${e.filter}: is the agent running and publishing under this filter?`
        : e.machines.map(statsLine).join('\n');
    case 'new-machine':
      return `machine ${e.machineId}: first message`;
    case 'gap':
      return `${e.machineId}: ${e.missing} scan${e.missing === 1 ? '' : 's'} missing (#${e.from}${e.to === e.from ? '' : `–#${e.to}`}) on ${e.kind}`;
    case 'duplicate':
      return `${e.machineId}: duplicate scan #${e.sequence} on ${e.kind} (redelivered)`;
    case 'late':
      return `${e.machineId}: scan #${e.sequence} arrived late on ${e.kind} (out of order)`;
    case 'reset':
      return `${e.machineId}: sequence restarted at #${e.sequence} (was #${e.previous}): the agent restarted`;
    case 'stale':
      return `${e.machineId}: STALE — no data for ${seconds(e.silentForMs)} (more than 2 × its ${seconds(e.intervalMs)} interval)`;
    case 'resumed':
      return `${e.machineId}: data resumed after ${seconds(e.silentForMs)} of silence`;
    case 'connection':
      return `${e.machineId}: agent ${e.status.toUpperCase()}${e.status === 'online' && e.publishIntervalMs ? `, publishing every ${seconds(e.publishIntervalMs)}` : ''}${e.retained ? ' (retained: last known state)' : ''}`;
  }
}

/** One human-readable line (or block, for statistics) with time and level. */
export function formatEventLine(e: ViewerEvent, at: number, url: string, palette: Palette): string {
  const level = levelOf(e);
  const badge =
    level === 'error'
      ? palette.red('ERROR')
      : level === 'warn'
        ? palette.yellow('WARN ')
        : level === 'info'
          ? palette.green('INFO ')
          : palette.dim('DEBUG');
  const prefix = `${palette.dim(isoTime(at))}  ${badge} `;
  const text = describeEvent(e, url, at);
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

function errorRecord(error: MqttClientError): Record<string, unknown> {
  return {
    code: error.code,
    message: error.message,
    ...(error.reasonCode === undefined ? {} : { reasonCode: error.reasonCode }),
  };
}

/** The event as a JSON object for NDJSON mode (written to stderr, one per line). */
export function eventRecord(e: ViewerEvent, at: number, url: string): Record<string, unknown> {
  const base = { at: isoTime(at), level: levelOf(e) };
  switch (e.type) {
    case 'state': {
      const s = e.state;
      switch (s.status) {
        case 'connecting':
          return { event: 'connection', ...base, status: s.status, url, attempt: s.attempt };
        case 'connected':
          return {
            event: 'connection',
            ...base,
            status: s.status,
            url,
            sessionPresent: s.sessionPresent,
          };
        case 'reconnecting':
          return {
            event: 'connection',
            ...base,
            status: s.status,
            url,
            attempt: s.attempt,
            nextRetryAt: s.nextRetryAt.toISOString(),
            error: errorRecord(s.lastError),
          };
        case 'closed':
          return {
            event: 'connection',
            ...base,
            status: s.status,
            url,
            reason: s.reason === 'user' ? 'user' : errorRecord(s.reason),
          };
      }
      break;
    }
    case 'client': {
      const { type, ...detail } = e.event;
      return {
        event: `client-${type}`,
        ...base,
        ...detail,
        ...('error' in e.event ? { error: errorRecord(e.event.error) } : {}),
      };
    }
    case 'subscribe-error':
      return { event: 'subscribe-error', ...base, filter: e.filter, error: errorRecord(e.error) };
    case 'stats':
      return {
        event: 'stats',
        ...base,
        filter: e.filter,
        machines: e.machines.map((m) => ({
          ...m,
          ratePerSecond: Math.round(m.ratePerSecond * 100) / 100,
          lastSeenAt: m.lastSeenAt === undefined ? undefined : isoTime(m.lastSeenAt),
        })),
      };
    default: {
      const { type, ...detail } = e;
      return { event: type, ...base, ...detail };
    }
  }
}
