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
  const { alarms, user, gateway } = useDashboard();
  const messages = alarms.ackMessages.value;
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
          const [cls, icon, word] = row.active
            ? row.acknowledged
              ? ['alarm-acked', '■', 'ACTIVE, acknowledged']
              : ['alarm-unacked', '▲', 'ACTIVE, unacknowledged']
            : ['alarm-rtn', '▽', 'cleared, unacknowledged'];
          return (
            <tr key={key} class={cls} data-alarm={key} data-state={cls}>
              <td>
                <span class="alarm-state">
                  <span aria-hidden="true">{icon}</span> {word}
                  {row.firstOut ? <span class="first-out"> first-out</span> : null}
                </span>
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
                  <span class="muted">
                    {row.acknowledgedBy ? `by ${row.acknowledgedBy}` : 'done'}
                  </span>
                ) : (
                  <button
                    type="button"
                    disabled={!gatewayUp || row.liveOnly}
                    title={!gatewayUp ? 'the gateway (alarm server) is not reachable' : undefined}
                    onClick={() =>
                      void alarms.acknowledge(row.machineId, row.alarm, user.value ?? 'anonymous')
                    }
                  >
                    Acknowledge {row.alarm}
                  </button>
                )}
                {messages[key] ? <span class="ack-message"> {messages[key]}</span> : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
