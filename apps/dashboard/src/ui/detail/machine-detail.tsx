import { Fragment } from 'preact';
import { TAGS } from '@ot-mqtt/tag-model';
import { formatAge, freshnessOf } from '../../live/freshness.js';
import { TrendPanel } from '../../trend/trend-panel.js';
import { AlarmList } from '../alarms/alarm-list.js';
import { useDashboard } from '../app-context.js';
import { CommandPanel } from '../commands/command-panel.js';
import { LiveValue } from '../live-value.js';
import { StateBadge } from '../state-badge.js';
import { AnalogIndicator } from './analog-indicator.js';
import { FillerMimic } from './filler-mimic.js';

/** Level 2 screen of one machine: mimic, analog indicators, trends, counters, alarms, commands. */
export function MachineDetail(props: { machineId: string }) {
  const { store, now, brokerUp, alarms } = useDashboard();
  void store.ids.value; // re-render when an unknown machine appears
  const view = store.machine(props.machineId);
  if (!view) {
    return (
      <section aria-labelledby="detail-title">
        <h1 id="detail-title">{props.machineId}</h1>
        <p class="notice" role="status" data-testid="unknown-machine">
          <span aria-hidden="true">▲</span> Unknown machine: nothing has been received from “
          {props.machineId}” on this broker. Check the machine id, or wait: it appears here as soon
          as it publishes. <a href="#/">Back to the overview</a>
        </p>
      </section>
    );
  }
  const m = view.value;
  const freshness = freshnessOf(m, now.value, brokerUp.value);
  const stale = freshness !== 'live';
  const t = m.scan?.tags;
  const counters = t?.counters;
  const rejectRate =
    counters && counters.BottlesFilled > 0
      ? (100 * counters.BottlesRejected) / counters.BottlesFilled
      : undefined;
  const value = (tag: string, v: unknown) => (
    <LiveValue machineId={m.machineId} tag={tag} value={v} stale={stale} />
  );
  return (
    <section class="detail" aria-labelledby="detail-title">
      <div class="toolbar">
        <h1 id="detail-title">{m.machineId}</h1>
        <StateBadge state={m.state} freshness={freshness} machineId={m.machineId} />
        {m.packml ? (
          <span class="muted" data-field="packml">
            PackML {m.packml.state}
            {m.packml.code === undefined ? '' : ` (${m.packml.code})`}
            {m.packml.stopReason ? ` · stop reason: ${m.packml.stopReason}` : ''}
          </span>
        ) : null}
        <span class={stale ? 'abnormal-text' : 'muted'} data-field="age">
          data age {formatAge(m.receivedAt === undefined ? undefined : now.value - m.receivedAt)}
        </span>
        <span class="muted">
          scan #<span data-field="sequence">{m.scan?.sequence ?? '—'}</span> · {m.missedScans}{' '}
          missed · {m.invalidPayloads} invalid
        </span>
        {m.lastProblem ? (
          <span class="abnormal-text">last bad payload: {m.lastProblem.slice(0, 120)}</span>
        ) : null}
        <a href="#/" class="back">
          ← Overview
        </a>
      </div>
      <div class="detail-grid">
        <section class="panel mimic-panel" aria-label="Line mimic">
          <FillerMimic machineId={m.machineId} tags={t} stale={stale} />
        </section>
        <section class="panel" aria-labelledby="analog-title">
          <h2 id="analog-title">Analog values</h2>
          {(Object.keys(TAGS.analog) as Array<keyof typeof TAGS.analog>).map((tag) => (
            <AnalogIndicator
              key={tag}
              machineId={m.machineId}
              tag={tag}
              meta={TAGS.analog[tag]}
              value={t?.analog[tag]}
              stale={stale}
            />
          ))}
        </section>
        <section class="panel" aria-labelledby="counters-title">
          <h2 id="counters-title">Production</h2>
          <dl class="counters">
            <dt>Bottles filled</dt>
            <dd>{counters ? value('BottlesFilled', counters.BottlesFilled) : '—'}</dd>
            <dt>Bottles rejected</dt>
            <dd>{counters ? value('BottlesRejected', counters.BottlesRejected) : '—'}</dd>
            <dt>Rate</dt>
            <dd>
              {counters ? (
                <>{value('BottlesPerMinute', counters.BottlesPerMinute)} bottles/min</>
              ) : (
                '—'
              )}
            </dd>
            <dt>Reject rate</dt>
            <dd>{rejectRate === undefined ? '—' : `${rejectRate.toFixed(2)} %`}</dd>
          </dl>
          <h2>Status</h2>
          <dl class="counters">
            {(Object.keys(TAGS.status) as Array<keyof typeof TAGS.status>).map((tag) => (
              <Fragment key={tag}>
                <dt>{tag}</dt>
                <dd class={tag === 'Fault' && t?.status.Fault ? 'abnormal-text' : ''}>
                  {t ? value(tag, t.status[tag]) : '—'}
                </dd>
              </Fragment>
            ))}
          </dl>
        </section>
        <section class="panel" aria-labelledby="machine-alarms-title">
          <h2 id="machine-alarms-title">Alarms</h2>
          <dl class="counters">
            {(Object.keys(TAGS.alarms) as Array<keyof typeof TAGS.alarms>).map((tag) => (
              <Fragment key={tag}>
                <dt>{tag}</dt>
                <dd class={t?.alarms[tag] ? 'alarm-text' : ''}>
                  {t?.alarms[tag] ? <span aria-hidden="true">▲ </span> : null}
                  {t ? value(tag, t.alarms[tag]) : '—'}
                </dd>
              </Fragment>
            ))}
          </dl>
          <AlarmList
            rows={alarms.rows(m.machineId)}
            showMachine={false}
            caption={`Alarms of ${m.machineId}`}
          />
          {alarms.error.value ? <p class="muted">{alarms.error.value}</p> : null}
        </section>
        <CommandPanel machineId={m.machineId} />
      </div>
      <TrendPanel machineId={m.machineId} />
    </section>
  );
}
