import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { ALARM_NAMES } from '../../live/machine-state.js';
import { useDashboard } from '../app-context.js';
import { SelectField, TextField } from '../form-fields.js';
import { AckAccess } from './ack-access.js';
import { AlarmList } from './alarm-list.js';
import { journalCsv } from './alarm-records.js';

const ALARM_OPTIONS = [['', 'any'] as const, ...ALARM_NAMES.map((name) => [name, name] as const)];

/** Rows of the journal drawn at once; the CSV export always has them all. */
const SHOWN = 500;

function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/** Alarm screen: what needs the operator now, then the journal with filters and CSV export. */
export function AlarmsPage() {
  const { alarms, store } = useDashboard();
  const machine = useSignal('');
  const alarm = useSignal('');
  const from = useSignal(localInput(Date.now() - 24 * 3600_000));
  const to = useSignal('');
  void store.version.value;
  // The journal is read (and polled) only while this screen is open.
  useEffect(() => alarms.watchJournal(), [alarms]);
  const rows = alarms.rows();
  const journal = alarms.journal.value
    .filter(
      (e) =>
        (machine.value === '' || e.machineId.toLowerCase().includes(machine.value.toLowerCase())) &&
        (alarm.value === '' || e.alarm === alarm.value),
    )
    .slice()
    .reverse();
  const load = () => {
    const fromMs = Date.parse(from.value);
    const toMs = to.value === '' ? undefined : Date.parse(to.value);
    void alarms.loadJournal({
      from: Number.isFinite(fromMs) ? fromMs : Date.now() - 24 * 3600_000,
      ...(toMs !== undefined && Number.isFinite(toMs) ? { to: toMs } : {}),
    });
  };
  const exportCsv = () => {
    const blob = new Blob([journalCsv(journal.slice().reverse())], {
      type: 'text/csv;charset=utf-8',
    });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `alarm-journal-${new Date().toISOString().replace(/[:.]/gu, '-')}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  };
  return (
    <section aria-labelledby="alarms-title">
      <div class="toolbar">
        <h1 id="alarms-title">Alarms</h1>
        <span class="muted">active and unacknowledged first · {rows.length} need attention</span>
      </div>
      <section class="panel" aria-label="Active and unacknowledged alarms">
        <AckAccess />
        <AlarmList rows={rows} showMachine caption="Active and unacknowledged alarms" />
      </section>
      <section class="panel" aria-labelledby="journal-title" style={{ marginTop: '0.75rem' }}>
        <h2 id="journal-title">Journal</h2>
        <form
          class="journal-filters"
          onSubmit={(event) => {
            event.preventDefault();
            load();
          }}
        >
          <TextField
            label="Machine"
            bind={machine}
            type="search"
            placeholder="any"
            data-testid="journal-machine"
          />
          <SelectField
            label="Alarm"
            value={alarm.value}
            onChoose={(value) => (alarm.value = value)}
            options={ALARM_OPTIONS}
            data-testid="journal-alarm"
          />
          <TextField label="From" bind={from} type="datetime-local" />
          <TextField label="To" bind={to} type="datetime-local" />
          <button type="submit">Load</button>
          <button
            type="button"
            onClick={exportCsv}
            disabled={journal.length === 0}
            data-testid="export-csv"
          >
            Export CSV ({journal.length})
          </button>
        </form>
        {alarms.error.value ? (
          <p class="notice" role="status">
            <span aria-hidden="true">▲</span> {alarms.error.value}
          </p>
        ) : null}
        {alarms.journalError.value ? (
          <p class="notice" role="status" data-testid="journal-error">
            <span aria-hidden="true">▲</span> {alarms.journalError.value}
          </p>
        ) : null}
        {journal.length === 0 ? (
          <p class="muted">No journal entry for these filters.</p>
        ) : (
          <table class="alarm-table" data-testid="journal">
            <caption class="visually-hidden">Alarm journal, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Machine</th>
                <th scope="col">Alarm</th>
                <th scope="col">Event</th>
                <th scope="col">State after</th>
                <th scope="col">User</th>
              </tr>
            </thead>
            <tbody>
              {journal.slice(0, SHOWN).map((e, i) => (
                <tr
                  key={`${e.at}-${e.machineId}-${e.alarm}-${i}`}
                  data-journal={`${e.machineId}/${e.alarm}`}
                  data-event={e.event}
                >
                  <td class="num">{new Date(e.at).toLocaleString()}</td>
                  <td>{e.machineId}</td>
                  <td>{e.alarm}</td>
                  <td>
                    {e.event}
                    {e.firstOut ? ' (first-out)' : ''}
                  </td>
                  <td>{e.state}</td>
                  <td>{e.user ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {journal.length > SHOWN ? (
          <p class="muted">
            Showing the newest {SHOWN} of {journal.length}; the CSV export has them all.
          </p>
        ) : null}
      </section>
    </section>
  );
}
