import { signal } from '@preact/signals';
import type { MachineDetail } from './machine-detail.js';

// The detail screen (and uPlot with it) is a chunk of its own, loaded when a machine is first
// opened: the overview an operator lands on does not pay for trends it has not asked for.
const loaded = signal<typeof MachineDetail | undefined>(undefined);
const failed = signal<string | undefined>(undefined);
let loading: Promise<void> | undefined;

/**
 * Loads the detail chunk if not yet loaded. Called when a machine is opened, and once the overview
 * is idle, so that opening a machine then costs only its history (issue 13: ≤ 1 s with 1 h backfill).
 */
export function loadMachineDetail(): Promise<void> {
  loading ??= import('./machine-detail.js').then(
    (module) => void (loaded.value = module.MachineDetail),
    (error: Error) =>
      void (failed.value = `could not load the detail screen (${error.message}); reload the page`),
  );
  return loading;
}

export function LazyMachineDetail(props: { machineId: string }) {
  const Detail = loaded.value;
  if (Detail) return <Detail machineId={props.machineId} />;
  void loadMachineDetail();
  return (
    <p class={failed.value ? 'notice' : 'muted'} role="status">
      {failed.value ?? `opening ${props.machineId}…`}
    </p>
  );
}
