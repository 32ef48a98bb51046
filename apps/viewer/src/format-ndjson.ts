import { escapeJsonControl, type DecodedMessage } from '@ot-mqtt/scan-monitor';
import { isoTime } from './format-message.js';

/**
 * NDJSON mode: one JSON object per message, on one line:
 * `{"topic","receivedAt","kind","machineId","sequence","qos","retain","dup","payload"}` for a valid
 * message, the same with `"error": {"path","message","bytes","preview"}` instead of `payload` for
 * an invalid one.
 */
export function formatNdjson(m: DecodedMessage): string {
  // Hand-assembled: this runs for every message, and the valid payload text is already JSON, so it
  // is embedded as received instead of being parsed and serialised again.
  const head =
    `{"topic":${JSON.stringify(m.topic)},"receivedAt":"${isoTime(m.receivedAt)}"` +
    `,"kind":${m.kind === undefined ? 'null' : `"${m.kind}"`}` +
    `,"machineId":${m.machineId === undefined ? 'null' : JSON.stringify(m.machineId)}`;
  if (m.ok) {
    // A pretty-printed payload would break the one-line framing; compact it.
    const payload =
      m.text.includes('\n') || m.text.includes('\r') ? JSON.stringify(m.value) : m.text;
    // Valid JSON may still hold raw DEL/C1 characters inside strings: escaped, same value.
    return escapeJsonControl(
      `${head},"sequence":${m.sequence ?? 'null'},"qos":${m.qos},"retain":${m.retain},"dup":${m.dup},"payload":${payload}}`,
    );
  }
  const error = JSON.stringify({
    path: m.path,
    message: m.message,
    moreIssues: m.moreIssues,
    bytes: m.bytes,
    preview: m.preview,
  });
  return escapeJsonControl(
    `${head},"sequence":null,"qos":${m.qos},"retain":${m.retain},"dup":${m.dup},"error":${error}}`,
  );
}
