import { formatValue } from '../live/format-value.js';

/**
 * One live tag value, carrying the testing hooks of the issue's contract:
 * `data-machine`, `data-tag`, the formatted value as text, and `data-stale="true"` while stale.
 */
export function LiveValue(props: {
  machineId: string;
  tag: string;
  value: unknown;
  stale: boolean;
  class?: string;
}) {
  const text = formatValue(props.tag, props.value);
  return (
    <span
      class={`live-value${props.stale ? ' is-stale' : ''}${props.class ? ` ${props.class}` : ''}`}
      data-machine={props.machineId}
      data-tag={props.tag}
      {...(props.stale ? { 'data-stale': 'true' } : {})}
      title={props.stale ? 'stale: not updated within two publish intervals' : undefined}
    >
      {text}
    </span>
  );
}
