import { useDashboard } from '../app-context.js';
import type { AlarmRow } from './alarm-model.js';

/**
 * Active and unacknowledged alarms, unacknowledged-active first (ISA-18.2). Each state has its
 * own shape and word: ▲ flashing-style bold for unacknowledged, ■ for acknowledged-active,
 * ▽ for returned-to-normal but not yet acknowledged.
 */
export function AlarmList(props: {
  rows: readonly AlarmRow[];
  showMachine: boolean;
  caption: string;
}) {
  const { alarms, gateway } = useDashboard();
  const messages = alarms.ackMessages.value;
  const permission = alarms.permission.value;
  const gatewayUp = gateway.status.value.status === 'up';
  if (props.rows.length === 0) {
    return (
      <p class="muted" data-testid="no-alarms">
        No active or unacknowledged alarm.
      </p>
    );
  }
  return (
    <table class="alarm-table" data-testid="alarm-list">
      <caption class="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">State</th>
          {props.showMachine ? <th scope="col">Machine</th> : null}
          <th scope="col">Alarm</th>
          <th scope="col">Raised</th>
          <th scope="col">Acknowledge</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => {
          const key = `${row.machineId}/${row.alarm}`;
          const [cls, icon, word] = LOOK[row.state];
          const canAck = !row.acknowledged && !row.liveOnly && permission.allowed && gatewayUp;
          return (
            <tr
              key={key}
              class={cls}
              data-alarm={key}
              data-state={row.state}
              {...(row.liveOnly ? { 'data-live-only': 'true' } : {})}
            >
              <td>
                <span class="alarm-state">
                  <span aria-hidden="true">{icon}</span> {word}
                  {row.firstOut ? <span class="first-out"> first-out</span> : null}
                </span>
                {row.liveOnly ? <span class="muted"> (from live scans)</span> : null}
              </td>
              {props.showMachine ? (
                <td>
                  <a href={`#/machine/${encodeURIComponent(row.machineId)}`}>{row.machineId}</a>
                </td>
              ) : null}
              <td>{row.alarm}</td>
              <td class="num">
                {row.raisedAt ? new Date(row.raisedAt).toLocaleTimeString() : '—'}
              </td>
              <td>
                {row.acknowledged ? (
                  <span class="muted" data-field="acknowledged-by">
                    {row.acknowledgedBy ? `by ${row.acknowledgedBy}` : 'done'}
                  </span>
                ) : canAck ? (
                  <button
                    type="button"
                    data-ack={key}
                    onClick={() => void alarms.acknowledge(row.machineId, row.alarm)}
                  >
                    Acknowledge {row.alarm}
                  </button>
                ) : (
                  <span class="muted">—</span>
                )}
                {/* Once acknowledged, the record says by whom: the outcome line would repeat it. */}
                {messages[key] && !row.acknowledged ? (
                  <span class="ack-message"> {messages[key]}</span>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Class, shape and word of each state that a list shows. */
const LOOK: Record<AlarmRow['state'], readonly [string, string, string]> = {
  'unacknowledged-active': ['alarm-unacked', '▲', 'ACTIVE, unacknowledged'],
  'acknowledged-active': ['alarm-acked', '■', 'ACTIVE, acknowledged'],
  'unacknowledged-returned-to-normal': ['alarm-rtn', '▽', 'cleared, unacknowledged'],
  normal: ['alarm-normal', '○', 'normal'],
};
