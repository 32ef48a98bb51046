import type { Alarms, Status } from '@ot-mqtt/tag-model';
import { TAGS } from '@ot-mqtt/tag-model';

/** The machine state an operator reads on the overview, derived from the seed's five status tags. */
export type MachineState = 'running' | 'idle' | 'faulted' | 'manual';

/** Alarm tag names in the order the PLC program declares them. */
export type AlarmName = keyof Alarms;

/** Every alarm tag name, from the tag model (never retyped). */
export const ALARM_NAMES = Object.keys(TAGS.alarms) as readonly AlarmName[];

/**
 * Faulted wins over everything (a faulted machine in manual is still faulted), then manual (an
 * operator has it), then running/idle.
 */
export function machineStateOf(status: Status): MachineState {
  if (status.Fault) return 'faulted';
  if (!status.AutoMode) return 'manual';
  return status.SystemRunning ? 'running' : 'idle';
}

/** Names of the alarms active in a scan, in declaration order. */
export function activeAlarmsOf(alarms: Alarms): AlarmName[] {
  return ALARM_NAMES.filter((name) => alarms[name]);
}
