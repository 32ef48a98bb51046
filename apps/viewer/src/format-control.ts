import { escapeControl, escapeJsonControl, type ControlMessage } from '@ot-mqtt/scan-monitor';
import type { Palette } from './ansi.js';
import { isoTime } from './format-message.js';
import { machineStateOf } from './format-summary.js';

const text = (s: string) => JSON.stringify(escapeControl(s));

/**
 * One line for a command, a command reply, a PackML state or an alarm event: what an operator or
 * HMI asked, and what the machine answered, beside the scans.
 */
export function formatControlLine(m: ControlMessage, palette: Palette): string {
  const at = palette.dim(isoTime(m.receivedAt));
  const topic = palette.blue(escapeControl(m.topic));
  if (!m.ok) {
    const id = m.requestId === undefined ? '' : ` (requestId ${text(m.requestId)})`;
    return `${at}  ${palette.red(`✗ invalid ${m.kind}`)} ${topic}: ${escapeControl(m.error)}${id}`;
  }
  switch (m.kind) {
    case 'command': {
      const c = m.command;
      const fault = 'fault' in c && c.fault !== undefined ? ` ${c.fault}` : '';
      return `${at}  ${palette.cyan('⇢ command')} ${topic}  ${palette.bold(`${c.command}${fault}`)}  requestId ${text(c.requestId)}`;
    }
    case 'command-reply': {
      const r = m.reply;
      const verdict = r.accepted
        ? palette.green('accepted')
        : palette.red(`refused: ${escapeControl(r.reason ?? '(no reason given)')}`);
      const packml = r.packml ? ` · PackML ${r.packml.state}` : '';
      const duplicate = r.duplicate ? ' (repeated request, applied once)' : '';
      return `${at}  ${palette.cyan('⇠ reply')}   ${topic}  requestId ${text(r.requestId)} ${verdict}${duplicate} — ${machineStateOf(r.state)}${packml}`;
    }
    case 'packml': {
      const p = m.packml;
      const reason = p.stopReason
        ? ` — stop reason ${p.stopReason.code}: ${escapeControl(p.stopReason.text)}`
        : '';
      return `${at}  ${palette.cyan('PackML')}    ${topic}  ${escapeControl(p.machineId)} ${palette.bold(p.state)} (${p.stateCode}), ${p.mode}${reason}${m.retain ? palette.dim(' (retained)') : ''}`;
    }
    case 'alarm-event':
      return `${at}  ${palette.cyan('alarm event')} ${topic}  ${escapeControl(JSON.stringify(m.event) ?? '')}`;
  }
}

/** The control message as one NDJSON record: `kind`, `machineId`, and `payload` or `error`. */
export function formatControlNdjson(m: ControlMessage): string {
  const head = {
    topic: m.topic,
    receivedAt: isoTime(m.receivedAt),
    kind: m.kind,
    machineId: m.machineId ?? null,
    retain: m.retain,
  };
  const body = !m.ok
    ? {
        error: {
          message: m.error,
          ...(m.requestId === undefined ? {} : { requestId: m.requestId }),
        },
      }
    : {
        payload:
          m.kind === 'command'
            ? m.command
            : m.kind === 'command-reply'
              ? m.reply
              : m.kind === 'packml'
                ? m.packml
                : m.event,
      };
  return escapeJsonControl(JSON.stringify({ ...head, ...body }));
}
