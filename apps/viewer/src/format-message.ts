import { escapeControl, type InvalidMessage, type ValidMessage } from '@ot-mqtt/scan-monitor';
import type { Palette } from './ansi.js';
import { formatJson } from './format-json.js';

let lastEpochMs = Number.NaN;
let lastIso = '';

/** ISO-8601 UTC with milliseconds, the same format as the payloads' timestamps. */
export function isoTime(epochMs: number): string {
  // A burst stamps thousands of messages with the same millisecond: format it once.
  if (epochMs !== lastEpochMs) {
    lastIso = new Date(epochMs).toISOString();
    lastEpochMs = epochMs;
  }
  return lastIso;
}

function flags(m: { qos: number; retain: boolean; dup: boolean }): string {
  return `qos ${m.qos}${m.retain ? ', retained' : ''}${m.dup ? ', dup' : ''}`;
}

/**
 * Pretty mode: a header line (receive time, topic, machine, sequence, QoS) and the payload as
 * indented JSON.
 */
export function formatPrettyMessage(m: ValidMessage, palette: Palette): string {
  const seq = m.sequence === undefined ? '' : ` #${m.sequence}`;
  const header = `${palette.dim(isoTime(m.receivedAt))}  ${palette.bold(palette.blue(escapeControl(m.topic)))}  ${palette.cyan(escapeControl(m.machineId))}${seq}  ${palette.dim(`(${flags(m)})`)}`;
  return `${header}\n${formatJson(m.value, palette)}`;
}

/**
 * One line for a message that could not be used: receive time, topic, tag path and what was wrong,
 * and a short preview, so a bad publisher is easy to find and the display carries on. Topic, path,
 * message and preview come from the wire (an unknown JSON key lands in the path and the message):
 * their control characters are escaped, so a payload cannot clear the screen or forge a line.
 */
export function formatInvalidMessage(m: InvalidMessage, palette: Palette): string {
  const where = m.path ? ` ${palette.bold(escapeControl(m.path))}:` : ':';
  const more = m.moreIssues > 0 ? ` (+${m.moreIssues} more)` : '';
  return `${palette.dim(isoTime(m.receivedAt))}  ${palette.red('✗ invalid')} ${palette.blue(escapeControl(m.topic))}${where} ${escapeControl(m.message)}${more}  ${palette.dim(`[${m.bytes} B, ${flags(m)}: ${escapeControl(m.preview)}]`)}`;
}
