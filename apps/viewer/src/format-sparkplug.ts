import { escapeControl, escapeJsonControl } from '@ot-mqtt/scan-monitor';
import {
  dataTypeName,
  type HostEvent,
  type MetricValue,
  type ResolvedMetric,
} from '@ot-mqtt/sparkplug';
import type { Palette } from './ansi.js';
import { isoTime } from './format-message.js';

type MessageEvent = Extract<HostEvent, { kind: 'message' }>;

/** Metrics written out on one BIRTH line; the rest are counted (a DBIRTH has 41). */
const BIRTH_METRICS_SHOWN = 6;

function valueText(value: MetricValue): string {
  if (value === null) return 'null';
  if (value === undefined) return '(not unpacked)';
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (typeof value === 'string') return JSON.stringify(escapeControl(value));
  return String(value);
}

const metricText = (m: ResolvedMetric, withType: boolean): string => {
  const name = m.name === undefined ? `alias ${m.alias ?? '?'} (unknown)` : escapeControl(m.name);
  const type =
    withType && m.datatype !== undefined ? `:${dataTypeName(m.datatype) ?? m.datatype}` : '';
  return `${name}${type}=${valueText(m.value)}`;
};

/**
 * One line for a Sparkplug B message, readable: `NBIRTH Packaging/node bdSeq 0 seq 0 · …`, DATA
 * metrics by name (resolved from the BIRTH's aliases), protocol problems in red, and whether the
 * viewer asked for a rebirth. Every wire string is escaped.
 */
export function formatSparkplugLine(
  event: HostEvent,
  receivedAt: number,
  topic: string,
  palette: Palette,
): string {
  const at = palette.dim(isoTime(receivedAt));
  if (event.kind === 'invalid')
    return `${at}  ${palette.red('✗ invalid Sparkplug')} ${palette.blue(escapeControl(topic))}: ${escapeControl(event.problem)}`;
  if (event.kind === 'state') {
    const s = event.state;
    const what =
      s === undefined
        ? palette.yellow('not a Sparkplug 3.0 STATE payload')
        : s.online
          ? palette.green('online')
          : palette.red('offline');
    return `${at}  ${palette.cyan('spB STATE')}  host ${escapeControl(event.hostId)} ${what}`;
  }
  return messageLine(event, at, palette);
}

function messageLine(e: MessageEvent, at: string, palette: Palette): string {
  const node = escapeControl(
    `${e.groupId}/${e.edgeNodeId}${e.deviceId === undefined ? '' : `/${e.deviceId}`}`,
  );
  const numbers = [
    e.bdSeq === undefined ? '' : `bdSeq ${e.bdSeq}`,
    e.seq === undefined ? '' : `seq ${e.seq}`,
  ]
    .filter(Boolean)
    .join(' ');
  const birth = e.type.endsWith('BIRTH');
  const shown = birth ? e.metrics.slice(0, BIRTH_METRICS_SHOWN) : e.metrics;
  const more = e.metrics.length - shown.length;
  const metrics = shown.map((m) => metricText(m, birth)).join('  ');
  const type = e.type.endsWith('DEATH') ? palette.yellow(e.type) : palette.bold(e.type);
  const problems =
    e.problems.length === 0
      ? ''
      : `  ${palette.red(`⚠ ${e.problems.map(escapeControl).join('; ')}`)}${e.rebirth ? palette.red(' → rebirth requested') : ''}`;
  return `${at}  ${palette.cyan('spB')} ${type} ${palette.blue(node)} ${palette.dim(numbers)}${birth ? ` · ${e.metrics.length} metrics:` : ''}  ${metrics}${more > 0 ? palette.dim(` … +${more} more`) : ''}${problems}`;
}

const jsonValue = (value: MetricValue): unknown =>
  typeof value === 'bigint'
    ? value.toString()
    : value instanceof Uint8Array
      ? Buffer.from(value).toString('base64')
      : (value ?? null);

/** The Sparkplug message as one NDJSON record (64-bit values as decimal strings, bytes base64). */
export function formatSparkplugNdjson(event: HostEvent, receivedAt: number, topic: string): string {
  const head = { topic, receivedAt: isoTime(receivedAt), kind: 'sparkplug' };
  const body =
    event.kind === 'invalid'
      ? { error: { message: event.problem } }
      : event.kind === 'state'
        ? { type: 'STATE', hostId: event.hostId, state: event.state ?? null }
        : {
            type: event.type,
            groupId: event.groupId,
            edgeNodeId: event.edgeNodeId,
            deviceId: event.deviceId ?? null,
            seq: event.seq ?? null,
            bdSeq: event.bdSeq ?? null,
            metrics: event.metrics.map((m) => ({
              name: m.name ?? null,
              alias: m.alias ?? null,
              datatype: m.datatype === undefined ? null : (dataTypeName(m.datatype) ?? m.datatype),
              value: jsonValue(m.value),
            })),
            problems: event.problems,
            rebirthRequested: event.rebirth !== undefined,
          };
  return escapeJsonControl(JSON.stringify({ ...head, ...body }));
}
