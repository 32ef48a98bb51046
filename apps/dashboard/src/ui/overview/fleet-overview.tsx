import { useComputed, useSignal } from '@preact/signals';
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatAge, freshnessOf } from '../../live/freshness.js';
import { useDashboard } from '../app-context.js';
import { SelectField } from '../form-fields.js';
import { LiveValue } from '../live-value.js';
import { StateBadge } from '../state-badge.js';
import {
  orderMachines,
  summarise,
  type OverviewQuery,
  type SortKey,
  type StateFilter,
} from './overview-order.js';

/** Row height in px: fixed, so the visible slice is arithmetic (virtualised list). */
const ROW_HEIGHT = 34;
/** Rows rendered above and below the viewport, so fast scrolling shows no blank band. */
const OVERSCAN = 8;

const STATE_FILTERS: ReadonlyArray<readonly [StateFilter, string]> = [
  ['all', 'all machines'],
  ['attention', 'needing attention'],
  ['faulted', 'faulted'],
  ['alarm', 'with active alarms'],
  ['stale', 'stale'],
  ['offline', 'offline'],
  ['running', 'running'],
  ['idle', 'idle'],
  ['manual', 'manual'],
];
const SORT_KEYS: ReadonlyArray<readonly [SortKey, string]> = [
  ['attention', 'needs attention first'],
  ['machine', 'machine id'],
  ['rate', 'bottles/min'],
  ['alarms', 'active alarms'],
  ['age', 'data age'],
];

/** The toolbar's drop-downs: query field, label, options, test id. */
const CHOICES = [
  ['state', 'Show', STATE_FILTERS, 'filter-state'],
  ['sort', 'Sort by', SORT_KEYS, 'sort-key'],
] as const;

/** Level 1 screen: every machine, one row each, only the rows on screen rendered. */
export function FleetOverview() {
  const { store, now, brokerUp, renderMode } = useDashboard();
  const query = useSignal<OverviewQuery>({
    text: '',
    state: 'all',
    sort: 'attention',
    descending: false,
  });
  // The order is recomputed once a second (the `now` tick) and on every toolbar change — not per
  // message — so rows stay put while the operator reads or clicks them.
  const order = useComputed(() => {
    void store.ids.value;
    return orderMachines(store.snapshots(), query.value, now.value, brokerUp.value);
  });
  const summary = useComputed(() => {
    void store.ids.value;
    return summarise(store.snapshots(), now.value, brokerUp.value);
  });
  const set = (patch: Partial<OverviewQuery>) => (query.value = { ...query.value, ...patch });
  const s = summary.value;
  return (
    <section class="overview" aria-labelledby="overview-title">
      <div class="toolbar">
        <h1 id="overview-title">Fleet overview</h1>
        <p class="summary" aria-live="polite" data-testid="fleet-summary">
          <strong data-testid="machine-count">{s.total}</strong> machines · {s.running} running ·{' '}
          {s.idle} idle · {s.manual} manual ·{' '}
          <span class={s.faulted ? 'abnormal-text' : ''}>{s.faulted} faulted</span> · {s.alarm} with
          alarms · <span class={s.stale ? 'abnormal-text' : ''}>{s.stale} stale</span> ·{' '}
          <span class={s.offline ? 'abnormal-text' : ''}>{s.offline} offline</span> ·{' '}
          {s.bottlesPerMinute.toLocaleString('en-US')} bottles/min
        </p>
        <div class="controls">
          <label>
            Filter{' '}
            <input
              type="search"
              placeholder="machine id"
              value={query.value.text}
              onInput={(e) => set({ text: (e.target as HTMLInputElement).value })}
              data-testid="filter-text"
            />
          </label>
          {CHOICES.map(([field, label, options, testId]) => (
            <SelectField
              key={field}
              label={label}
              value={query.value[field]}
              onChoose={(value) => set({ [field]: value } as Partial<OverviewQuery>)}
              options={options}
              data-testid={testId}
            />
          ))}
          <label>
            <input
              type="checkbox"
              checked={query.value.descending}
              onChange={(e) => set({ descending: (e.target as HTMLInputElement).checked })}
            />{' '}
            reverse
          </label>
        </div>
      </div>
      {renderMode === 'naive' ? (
        <NaiveTable ids={order.value} />
      ) : (
        <VirtualTable ids={order.value} />
      )}
      {s.total === 0 ? (
        <p class="empty-note">
          No machine has published yet. Is the agent running and the broker reachable? (see the
          broker indicator above)
        </p>
      ) : null}
    </section>
  );
}

function TableHead() {
  return (
    <thead>
      <tr>
        <th scope="col">Machine</th>
        <th scope="col">State</th>
        <th scope="col" class="num">
          Bottles/min
        </th>
        <th scope="col" class="num">
          Fill level %
        </th>
        <th scope="col">Active alarms</th>
        <th scope="col" class="num">
          Data age
        </th>
      </tr>
    </thead>
  );
}

function VirtualTable(props: { ids: readonly string[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ top: 0, height: 600 });
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const update = () => setViewport({ top: element.scrollTop, height: element.clientHeight });
    update();
    element.addEventListener('scroll', update, { passive: true });
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => {
      element.removeEventListener('scroll', update);
      observer.disconnect();
    };
  }, []);
  const first = Math.max(0, Math.floor(viewport.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(
    props.ids.length,
    Math.ceil((viewport.top + viewport.height) / ROW_HEIGHT) + OVERSCAN,
  );
  const visible = props.ids.slice(first, last);
  return (
    <div
      class="table-scroller"
      ref={scroller}
      tabIndex={0}
      aria-label="Machines (scrollable)"
      data-testid="fleet-table"
    >
      <table class="fleet-table" aria-rowcount={props.ids.length + 1}>
        <TableHead />
        <tbody>
          <tr aria-hidden="true" style={{ height: `${first * ROW_HEIGHT}px` }} />
          {visible.map((id, i) => (
            <MachineRow key={id} machineId={id} rowIndex={first + i + 2} />
          ))}
          <tr
            aria-hidden="true"
            style={{ height: `${(props.ids.length - last) * ROW_HEIGHT}px` }}
          />
        </tbody>
      </table>
    </div>
  );
}

/** The benchmark's baseline: every row in the DOM, all re-rendered on every message. */
function NaiveTable(props: { ids: readonly string[] }) {
  const { store } = useDashboard();
  // Reading the store's version subscribes this whole table to every flush (every message, in
  // naive mode): exactly the "re-render everything" the benchmark compares against.
  void store.version.value;
  return (
    <div class="table-scroller" data-testid="fleet-table">
      <table class="fleet-table">
        <TableHead />
        <tbody>
          {props.ids.map((id, i) => (
            <MachineRow key={id} machineId={id} rowIndex={i + 2} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MachineRow(props: { machineId: string; rowIndex: number }) {
  const { store, now, brokerUp } = useDashboard();
  const view = store.machine(props.machineId);
  if (!view) return null;
  const m = view.value;
  const freshness = freshnessOf(m, now.value, brokerUp.value);
  const stale = freshness !== 'live';
  const rate = m.scan?.tags.counters.BottlesPerMinute;
  const level = m.scan?.tags.analog.FillLevel;
  const age = m.receivedAt === undefined ? undefined : now.value - m.receivedAt;
  const rowClass = `row-${freshness}${m.state === 'faulted' ? ' row-faulted' : ''}${m.activeAlarms.length ? ' row-alarm' : ''}`;
  return (
    <tr class={rowClass} aria-rowindex={props.rowIndex} data-row-machine={props.machineId}>
      <th scope="row">
        <a href={`#/machine/${encodeURIComponent(props.machineId)}`}>{props.machineId}</a>
      </th>
      <td>
        <StateBadge state={m.state} freshness={freshness} machineId={props.machineId} />
      </td>
      <td class="num">
        {rate === undefined ? (
          '—'
        ) : (
          <LiveValue
            machineId={props.machineId}
            tag="BottlesPerMinute"
            value={rate}
            stale={stale}
          />
        )}
      </td>
      <td class="num">
        {level === undefined ? (
          '—'
        ) : (
          <LiveValue machineId={props.machineId} tag="FillLevel" value={level} stale={stale} />
        )}
      </td>
      <td>
        {m.activeAlarms.length === 0 ? (
          <span class="muted">none</span>
        ) : (
          <span class="alarm-text" data-machine={props.machineId} data-field="active-alarms">
            <span aria-hidden="true">▲</span> {m.activeAlarms.length}: {m.activeAlarms.join(', ')}
          </span>
        )}
      </td>
      <td
        class={`num${freshness === 'stale' || freshness === 'offline' ? ' abnormal-text' : ''}`}
        data-machine={props.machineId}
        data-field="age"
      >
        {formatAge(age)}
      </td>
    </tr>
  );
}
