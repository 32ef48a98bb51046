import { escapeControl } from '@ot-mqtt/scan-monitor';
import { TAGS, type DataPayload, type TagMetadata } from '@ot-mqtt/tag-model';
import type { Palette } from './ansi.js';
import { isoTime } from './format-message.js';

/** A complete dataset (`data` topic) with its receive time. */
export interface SummaryInput {
  /** The validated data payload. */
  readonly value: DataPayload;
  /** Topic it came on. */
  readonly topic: string;
  /** Receive time, epoch ms. */
  readonly receivedAt: number;
  /** Embedded timestamp, epoch ms. */
  readonly timestamp: number;
}

/** `FillFlowRate` → `Fill flow rate`: tag names are the document's, labels are for reading. */
export function labelOf(tagName: string): string {
  const words = tagName.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function valueWithUnit(value: number, meta: TagMetadata, label: string): string {
  const text = meta.dataType === 'REAL' ? value.toFixed(1) : String(value);
  // "Bottles filled 12", not "Bottles filled 12 bottles".
  return meta.unit && !label.toLowerCase().includes(meta.unit) ? `${text} ${meta.unit}` : text;
}

/** The machine state in one word, as an operator panel would show it. */
export function machineStateOf(
  status: DataPayload['tags']['status'],
): 'FAULTED' | 'RUNNING' | 'READY' | 'STOPPED' {
  if (status.Fault) return 'FAULTED';
  if (status.SystemRunning) return 'RUNNING';
  if (status.Ready) return 'READY';
  return 'STOPPED';
}

/**
 * Summary mode: one block per scan with the machine state, analog values, counters and active
 * alarms at a glance. Labels and units come from the tag model's {@link TAGS} metadata.
 */
export function formatSummary(input: SummaryInput, palette: Palette): string {
  const { value } = input;
  const { status, analog, counters, alarms } = value.tags;
  const state = machineStateOf(status);
  const stateText =
    state === 'FAULTED'
      ? palette.red(palette.bold(state))
      : state === 'RUNNING'
        ? palette.green(palette.bold(state))
        : palette.yellow(palette.bold(state));
  const mode = status.AutoMode ? 'AUTO' : 'MANUAL';
  const activity = status.Filling ? ' · filling' : '';
  const latency = Math.round(input.receivedAt - input.timestamp);

  const analogText = (Object.keys(TAGS.analog) as (keyof typeof TAGS.analog)[])
    .map((name) => {
      const label = labelOf(name);
      return `${label} ${palette.bold(valueWithUnit(analog[name], TAGS.analog[name], label))}`;
    })
    .join(' · ');
  const counterText = (Object.keys(TAGS.counters) as (keyof typeof TAGS.counters)[])
    .map((name) => {
      const label = labelOf(name);
      return `${label} ${palette.bold(valueWithUnit(counters[name], TAGS.counters[name], label))}`;
    })
    .join(' · ');
  const active = (Object.keys(TAGS.alarms) as (keyof typeof TAGS.alarms)[]).filter(
    (name) => alarms[name],
  );
  const alarmText =
    active.length === 0
      ? palette.green('none')
      : palette.red(active.map((name) => `${name} (${TAGS.alarms[name].description})`).join(', '));

  return [
    `${palette.cyan(palette.bold(value.machineId))}  scan #${value.sequence}  ${palette.dim(`${isoTime(input.receivedAt)}  ${escapeControl(input.topic)}  latency ${latency} ms`)}`,
    `  State     ${stateText} · ${mode}${activity}`,
    `  Analog    ${analogText}`,
    `  Counters  ${counterText}`,
    `  Alarms    ${alarmText}`,
  ].join('\n');
}
