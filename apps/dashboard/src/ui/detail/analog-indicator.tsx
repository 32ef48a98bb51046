import type { TagMetadata } from '@ot-mqtt/tag-model';
import { LiveValue } from '../live-value.js';

/**
 * Moving analog indicator (ISA-101): the value as a pointer on its engineering range, with the
 * number and unit beside it. Grey throughout; nothing here is an alarm colour.
 */
export function AnalogIndicator(props: {
  machineId: string;
  tag: string;
  meta: TagMetadata;
  value: number | undefined;
  stale: boolean;
}) {
  const { meta } = props;
  const range = meta.range ?? { min: 0, max: 100 };
  const fraction =
    props.value === undefined
      ? undefined
      : Math.min(1, Math.max(0, (props.value - range.min) / (range.max - range.min)));
  return (
    <div class={`analog${props.stale ? ' is-stale' : ''}`}>
      <div class="analog-head">
        <span class="analog-name" title={meta.description}>
          {props.tag}
        </span>
        <span class="analog-value">
          {props.value === undefined ? (
            '—'
          ) : (
            <LiveValue
              machineId={props.machineId}
              tag={props.tag}
              value={props.value}
              stale={props.stale}
            />
          )}{' '}
          {meta.unit}
        </span>
      </div>
      <svg class="analog-bar" viewBox="0 0 200 22" preserveAspectRatio="none" aria-hidden="true">
        <rect x="0" y="6" width="200" height="10" class="analog-track" />
        {fraction === undefined ? null : (
          <rect x="0" y="6" width={200 * fraction} height="10" class="analog-fill" />
        )}
        {fraction === undefined ? null : (
          <path
            d={`M ${200 * fraction - 5} 0 L ${200 * fraction + 5} 0 L ${200 * fraction} 7 Z`}
            class="analog-pointer"
          />
        )}
      </svg>
      <div class="analog-scale" aria-hidden="true">
        <span>{range.min}</span>
        <span>{range.max}</span>
      </div>
    </div>
  );
}
