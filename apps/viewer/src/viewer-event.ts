import { connectionHint } from '@ot-mqtt/app-kit';
import type { ClientEvent, ConnectionState, MqttClientError } from '@ot-mqtt/mqtt-client';
import type { Palette } from './ansi.js';
import type { LogLevel } from './config.js';
import { isoTime } from './format-message.js';
import {
  escapeControl,
  type MachineStats,
  type TrackerEvent,
  type TrackerTotals,
} from '@ot-mqtt/scan-monitor';

/** Messages the viewer has seen, valid or not, for the statistics. */
export interface MessageCounts {
  /** Valid messages shown. */
  readonly valid: number;
  /** Invalid messages shown. */
  readonly invalid: number;
  /** Topic of the last invalid message (untrusted text). */
  readonly lastInvalidTopic: string | undefined;
  /** Sparkplug B messages shown (spBv1.0/…, issue 16); not tracked per machine. */
  readonly sparkplug?: number;
  /** The tracker's counts (machines tracked, untracked messages, forgotten machines). */
  readonly totals: TrackerTotals;
}

/** Everything the viewer reports about itself: connection, client events, machines, statistics. */
export type ViewerEvent =
  | { readonly type: 'state'; readonly state: ConnectionState }
  | { readonly type: 'client'; readonly event: ClientEvent }
  | { readonly type: 'subscribe-error'; readonly filter: string; readonly error: MqttClientError }
  | {
      readonly type: 'stats';
      readonly machines: readonly MachineStats[];
      readonly filter: string;
      readonly messages: MessageCounts;
    }
  | {
      readonly type: 'output-dropped';
      readonly lines: number;
      readonly stream: 'stdout' | 'stderr';
    }
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
    case 'suspect':
    case 'machine-limit':
    case 'output-dropped':
      return 'warn';
    case 'connection':
      return e.status === 'offline' ? 'warn' : 'info';
    default:
      return 'info';
  }
}

// NATS's MQTT gateway has no shared subscriptions (docs/scaling.md); Mosquitto has.
const SHARE_HINT =
  ' ($share is not supported on a NATS cluster: subscribe without $share/<group>/)';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

// Error texts can carry what the broker or the network sent (an MQTT 5 reason string, a host
// name): escaped like every other wire string, so they cannot drive the terminal.
function errorText(error: MqttClientError): string {
  const hint = connectionHint(error.code);
  return `${escapeControl(error.message)} [${error.code}]${hint ? ` — ${hint}` : ''}`;
}

const id = escapeControl;

function statsLine(m: MachineStats): string {
  const latency = m.latency
    ? `latency p50 ${m.latency.p50.toFixed(0)} ms p99 ${m.latency.p99.toFixed(0)} ms`
    : 'latency n/a';
  const state = [m.connection ?? 'status unknown', ...(m.stale ? ['STALE'] : [])].join(', ');
  return (
    `${id(m.machineId)}: ${m.ratePerSecond.toFixed(1)} msg/s, ${m.scans} scans, ${m.missing} missing, ` +
    `${m.duplicates} duplicates, ${m.resets} restarts, ${m.invalid} invalid` +
    `${m.suspect > 0 ? `, ${m.suspect} suspect` : ''}, ${latency} (${state})`
  );
}

function statsText(e: Extract<ViewerEvent, { type: 'stats' }>): string {
  const { messages } = e;
  const lines = e.machines.map(statsLine);
  if (messages.totals.untracked > 0)
    lines.push(
      `${messages.totals.untracked} valid messages of machines beyond the limit of ${messages.totals.maxMachines} (VIEWER_MAX_MACHINES) were shown but not tracked`,
    );
  if (lines.length > 0) return lines.join('\n');
  if ((messages.sparkplug ?? 0) > 0)
    return `${messages.sparkplug} Sparkplug B messages on ${e.filter} (shown above; per-machine statistics cover the JSON topics)`;
  if (messages.invalid > 0)
    return `no valid messages yet on ${e.filter}: ${messages.invalid} invalid (last on ${escapeControl(messages.lastInvalidTopic ?? '?')}): check what publishes there`;
  return `no messages yet on ${e.filter}: is the agent running and publishing under this filter?`;
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
      return `cannot subscribe to ${e.filter}: ${errorText(e.error)}${e.filter.startsWith('$share/') ? SHARE_HINT : ''}`;
    case 'stats':
      return statsText(e);
    case 'output-dropped':
      return `${e.stream} could not keep up: ${e.lines} line${e.lines === 1 ? '' : 's'} not shown (tracking and statistics include them)`;
    case 'new-machine':
      return `machine ${id(e.machineId)}: first message`;
    case 'suspect':
      return e.reason === 'future-timestamp'
        ? `${id(e.machineId)}: suspect scan #${e.sequence} on ${e.kind}: timestamp ${e.timestamp === undefined ? '?' : isoTime(e.timestamp)} is in the future; not used for gaps or latency`
        : `${id(e.machineId)}: suspect scan #${e.sequence} on ${e.kind}: jumps from #${e.baseline} further than its publish rate allows; not used for gaps`;
    case 'machine-limit':
      return `tracking ${e.limit} machines, the limit (VIEWER_MAX_MACHINES): messages of further machines (first: ${id(e.machineId)}) are shown but not tracked`;
    case 'forgotten':
      return `forgot ${e.count} machine${e.count === 1 ? '' : 's'} silent for more than ${seconds(e.afterMs)}: ${e.machineIds.map(id).join(', ')}${e.count > e.machineIds.length ? ', …' : ''}`;
    case 'gap':
      return `${id(e.machineId)}: ${e.missing} scan${e.missing === 1 ? '' : 's'} missing (#${e.from}${e.to === e.from ? '' : `–#${e.to}`}) on ${e.kind}`;
    case 'duplicate':
      return `${id(e.machineId)}: duplicate scan #${e.sequence} on ${e.kind} (redelivered)`;
    case 'late':
      return `${id(e.machineId)}: scan #${e.sequence} arrived late on ${e.kind} (out of order)`;
    case 'reset':
      return e.sequence < e.previous
        ? `${id(e.machineId)}: sequence restarted at #${e.sequence} (was #${e.previous}): the agent restarted`
        : `${id(e.machineId)}: sequence continues at #${e.sequence} (was #${e.previous}), confirmed by consecutive scans: new baseline`;
    case 'stale':
      return `${id(e.machineId)}: STALE — no data for ${seconds(e.silentForMs)} (more than 2 × its ${seconds(e.intervalMs)} interval)`;
    case 'resumed':
      return `${id(e.machineId)}: data resumed after ${seconds(e.silentForMs)} of silence`;
    case 'connection':
      return `${id(e.machineId)}: agent ${e.status.toUpperCase()}${e.status === 'online' && e.publishIntervalMs ? `, publishing every ${seconds(e.publishIntervalMs)}` : ''}${e.retained ? ' (retained: last known state)' : ''}`;
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
        messages: {
          valid: e.messages.valid,
          invalid: e.messages.invalid,
          ...(e.messages.sparkplug === undefined ? {} : { sparkplug: e.messages.sparkplug }),
          untracked: e.messages.totals.untracked,
          machinesTracked: e.messages.totals.machines,
          maxMachines: e.messages.totals.maxMachines,
          forgotten: e.messages.totals.forgotten,
        },
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
