import { useEffect, useMemo, useState } from 'preact/hooks';
import { TAGS } from '@ot-mqtt/tag-model';
import { parseHistory } from '../gateway/history.js';
import { useDashboard } from '../ui/app-context.js';
import { TrendBuffer } from './trend-buffer.js';
import { TrendChart } from './trend-chart.js';

/** The analog tags trended on the detail screen, with their ranges from the tag model. */
const TRENDED = Object.keys(TAGS.analog) as Array<keyof typeof TAGS.analog>;
/** Points kept per trend: 8 h at 2 s, or 1 h at 0.5 s — bounded whatever stays open overnight. */
const CAPACITY = 14_400;
const SPANS = [
  { label: '15 min', seconds: 900 },
  { label: '1 h', seconds: 3600 },
  { label: '8 h', seconds: 8 * 3600 },
] as const;

type HistoryState =
  | { status: 'loading' }
  | { status: 'loaded'; points: number }
  | { status: 'failed'; message: string };

/**
 * Trends of one machine: backfilled from the gateway's history when opened (last hour by
 * default), then extended with every live scan; zoom by dragging, spans by button.
 */
export function TrendPanel(props: { machineId: string }) {
  const { store, gateway, renderMode } = useDashboard();
  const buffers = useMemo(
    () => new Map(TRENDED.map((tag) => [tag, new TrendBuffer(CAPACITY)])),
    [props.machineId],
  );
  const [version, setVersion] = useState(0);
  const [span, setSpan] = useState(3600);
  const [zoom, setZoom] = useState<{ from: number; to: number } | undefined>(undefined);
  const [history, setHistory] = useState<HistoryState>({ status: 'loading' });

  // Live points: every scan, redrawn at most once a second.
  useEffect(() => {
    let dirty = false;
    const unsubscribe = store.onScan(props.machineId, (scan) => {
      const t = Date.parse(scan.timestamp) / 1000;
      for (const tag of TRENDED) buffers.get(tag)!.push(t, scan.tags.analog[tag]);
      dirty = true;
    });
    const timer = setInterval(() => {
      if (dirty) {
        dirty = false;
        setVersion((v) => v + 1);
      }
    }, 1000);
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, [props.machineId, buffers, store]);

  // Backfill: the span asked for, from the gateway's historian.
  useEffect(() => {
    let cancelled = false;
    setHistory({ status: 'loading' });
    const to = new Date();
    const from = new Date(to.getTime() - span * 1000);
    const query = new URLSearchParams({
      tags: TRENDED.join(','),
      from: from.toISOString(),
      to: to.toISOString(),
      // The naive baseline (benchmark) draws every stored point, the page at most 1,000 buckets.
      maxPoints: renderMode === 'naive' ? '10000' : '1000',
    });
    void gateway
      .get<unknown>(`/api/machines/${encodeURIComponent(props.machineId)}/history?${query}`)
      .then((result) => {
        if (cancelled) return;
        if (!result.ok) {
          setHistory({
            status: 'failed',
            message:
              result.status === 404
                ? 'the historian has no data for this machine yet'
                : `history unavailable (${result.error}): the trends show live data since this page opened`,
          });
          return;
        }
        const series = parseHistory(result.value, TRENDED);
        let points = 0;
        for (const tag of TRENDED) {
          const list = series.get(tag) ?? [];
          points += list.length;
          buffers.get(tag)!.prepend(list);
        }
        setHistory({ status: 'loaded', points });
        setVersion((v) => v + 1);
      });
    return () => {
      cancelled = true;
    };
  }, [props.machineId, span, buffers, gateway, renderMode]);

  const newest = Math.max(...TRENDED.map((tag) => buffers.get(tag)!.lastTime), Date.now() / 1000);
  const view = zoom ?? { from: newest - span, to: newest };
  return (
    <section class="panel trends" aria-labelledby="trends-title">
      <div class="panel-head">
        <h2 id="trends-title">Trends</h2>
        <div class="span-buttons" role="group" aria-label="Time span">
          {SPANS.map((s) => (
            <button
              key={s.seconds}
              type="button"
              aria-pressed={zoom === undefined && span === s.seconds}
              onClick={() => {
                setZoom(undefined);
                setSpan(s.seconds);
              }}
            >
              {s.label}
            </button>
          ))}
          {zoom ? (
            <button type="button" onClick={() => setZoom(undefined)}>
              reset zoom
            </button>
          ) : null}
        </div>
        <p class="muted history-status" data-testid="history-status" data-status={history.status}>
          {history.status === 'loading'
            ? 'loading history from the gateway…'
            : history.status === 'loaded'
              ? `${history.points} points of history from the gateway, then live · drag across a trend to zoom`
              : history.message}
        </p>
      </div>
      {TRENDED.map((tag) => (
        <div class="trend" key={tag} data-trend={tag} data-points={buffers.get(tag)!.length}>
          <div class="trend-title">
            {tag} <span class="muted">{TAGS.analog[tag].unit}</span>
          </div>
          <TrendChart
            tag={tag}
            meta={TAGS.analog[tag]}
            buffer={buffers.get(tag)!}
            version={version}
            window={view}
            onZoom={setZoom}
          />
        </div>
      ))}
    </section>
  );
}
