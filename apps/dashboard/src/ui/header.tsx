import { useDashboard } from './app-context.js';

/**
 * Connection indicators for the broker and the gateway: grey text while normal; when a link is
 * down, a shape, a word and the abnormal colour, and the promise that values are marked stale.
 */
export function Header(props: { route: string }) {
  const { broker, gateway, store, alarms, user, config, now } = useDashboard();
  // Alarms seen only in live scans change with the store, not with a signal the header reads:
  // re-read them with the page clock (once a second), not per message.
  void now.value;
  const b = broker.value?.status.value ?? { status: 'connecting' as const };
  const g = gateway.status.value;
  const problems = store.problems.value;
  const unacked = alarms.rows().filter((r) => r.active && !r.acknowledged);
  const brokerOk = b.status === 'connected';
  const gatewayOk = g.status === 'up';
  return (
    <header class="top">
      <div class="brand">
        <span class="brand-name">ot-mqtt</span> <span class="muted">Filler line HMI</span>
      </div>
      <nav aria-label="Screens">
        <a href="#/" aria-current={props.route === 'overview' ? 'page' : undefined}>
          Overview
        </a>
        <a href="#/alarms" aria-current={props.route === 'alarms' ? 'page' : undefined}>
          Alarms{unacked.length > 0 ? ` (${unacked.length} unacknowledged)` : ''}
        </a>
      </nav>
      <div class="links" role="status" aria-live="polite">
        <span
          class={`link ${brokerOk ? 'link-ok' : 'link-down'}`}
          data-testid="broker-status"
          data-status={b.status}
          title={config.mqttUrl}
        >
          <span aria-hidden="true">{brokerOk ? '●' : '▲'}</span> Broker:{' '}
          {brokerOk
            ? 'connected'
            : `${b.status}${b.detail ? ` (${b.detail})` : ''} — live values stale`}
        </span>
        <span
          class={`link ${gatewayOk ? 'link-ok' : g.status === 'unknown' ? 'link-unknown' : 'link-down'}`}
          data-testid="gateway-status"
          data-status={g.status}
        >
          <span aria-hidden="true">{gatewayOk ? '●' : g.status === 'unknown' ? '○' : '▲'}</span>{' '}
          Gateway:{' '}
          {gatewayOk
            ? 'connected'
            : g.status === 'unknown'
              ? 'checking…'
              : `${g.detail ?? 'down'} — history and alarm journal unavailable`}
        </span>
        {user.value ? <span class="muted">user {user.value}</span> : null}
      </div>
      {unacked.length > 0 ? (
        <a class="alarm-banner" href="#/alarms" data-testid="alarm-banner">
          <span aria-hidden="true">▲</span> {unacked.length} unacknowledged alarm
          {unacked.length > 1 ? 's' : ''}: {unacked[0]!.machineId} {unacked[0]!.alarm}
          {unacked.length > 1 ? ` and ${unacked.length - 1} more` : ''}
        </a>
      ) : null}
      {config.warning ? <p class="notice">{config.warning}</p> : null}
      {problems.length > 0 ? (
        <details class="notice" data-testid="problems">
          <summary>
            <span aria-hidden="true">▲</span> {problems.length} message
            {problems.length > 1 ? 's' : ''} could not be used (latest: {problems[0]!.topic}:{' '}
            {problems[0]!.message.slice(0, 160)})
          </summary>
          <ul>
            {problems.slice(0, 20).map((p) => (
              <li key={`${p.at}-${p.topic}`}>
                {new Date(p.at).toLocaleTimeString()} {p.topic}: {p.message.slice(0, 300)}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </header>
  );
}
