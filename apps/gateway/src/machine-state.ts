/** Operating state of a filler derived from its status tags (what `/api/machines` reports). */
export type MachineState = 'faulted' | 'running' | 'manual' | 'idle' | 'stopped' | 'unknown';

/**
 * The state from the five status tags of the newest scan: a fault wins, then running, then manual
 * mode, then ready (idle), else stopped.
 */
export function machineState(
  tags: Readonly<Record<string, number | boolean>> | undefined,
): MachineState {
  if (!tags) return 'unknown';
  if (tags['Fault'] === true) return 'faulted';
  if (tags['SystemRunning'] === true) return 'running';
  if (tags['AutoMode'] === false) return 'manual';
  if (tags['Ready'] === true) return 'idle';
  return 'stopped';
}
