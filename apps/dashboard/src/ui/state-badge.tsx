import type { Freshness } from '../live/freshness.js';
import type { MachineState } from '../live/machine-state.js';

/**
 * The machine's condition as shape + text (+ colour only when abnormal), ISA-101 style: a normal
 * running machine is plain grey text; faulted, stale and offline each have their own shape.
 */
export function StateBadge(props: {
  state: MachineState | undefined;
  freshness: Freshness;
  machineId: string;
}) {
  const { state, freshness } = props;
  let kind: string;
  let icon: string;
  let text: string;
  if (freshness === 'offline') {
    [kind, icon, text] = ['offline', '⊘', 'OFFLINE'];
  } else if (freshness === 'waiting' || state === undefined) {
    [kind, icon, text] = ['waiting', '…', 'waiting for data'];
  } else if (state === 'faulted') {
    [kind, icon, text] = ['faulted', '◆', 'FAULTED'];
  } else {
    [kind, icon, text] = [
      state,
      state === 'running' ? '▶' : state === 'manual' ? '✋' : '■',
      state,
    ];
  }
  const stale = freshness === 'stale';
  return (
    <span
      class={`state-badge state-${kind}${stale ? ' is-stale' : ''}`}
      data-machine={props.machineId}
      data-field="state"
      {...(stale ? { 'data-stale': 'true' } : {})}
    >
      <span aria-hidden="true" class="state-icon">
        {icon}
      </span>{' '}
      {text}
      {stale ? <span class="stale-tag">STALE</span> : null}
    </span>
  );
}
