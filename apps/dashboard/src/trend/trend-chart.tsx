import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TagMetadata } from '@ot-mqtt/tag-model';
import type { TrendBuffer } from './trend-buffer.js';

/**
 * One uPlot trend of one tag against its engineering range (the y scale is the range, so a trend
 * reads like the analog indicator beside it). uPlot stays outside Preact's render loop: the chart
 * is created once and fed with `setData` at most once per `version` change.
 */
export function TrendChart(props: {
  tag: string;
  meta: TagMetadata;
  buffer: TrendBuffer;
  /** Bumped when the buffer changed; the chart redraws then. */
  version: number;
  /** Visible window in seconds since epoch, or undefined to follow the newest data. */
  window: { from: number; to: number } | undefined;
  onZoom: (window: { from: number; to: number }) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const { tag, meta } = props;
  const range = meta.range ?? { min: 0, max: 1 };

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const chart = new uPlot(
      {
        width: Math.max(300, element.clientWidth),
        height: 130,
        legend: { show: false },
        cursor: { drag: { x: true, y: false, setScale: true } },
        scales: { x: { time: true }, y: { range: [range.min, range.max] } },
        axes: [
          { stroke: '#222', grid: { stroke: '#b5b5b5', width: 1 }, ticks: { stroke: '#888' } },
          {
            stroke: '#222',
            grid: { stroke: '#b5b5b5', width: 1 },
            ticks: { stroke: '#888' },
            size: 50,
          },
        ],
        series: [{}, { label: tag, stroke: '#1f1f1f', width: 1.5, points: { show: false } }],
        hooks: {
          setSelect: [
            (u) => {
              if (u.select.width < 5) return;
              const from = u.posToVal(u.select.left, 'x');
              const to = u.posToVal(u.select.left + u.select.width, 'x');
              props.onZoom({ from, to });
            },
          ],
        },
      },
      props.buffer.toArrays(),
      element,
    );
    plot.current = chart;
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(300, element.clientWidth), height: 130 }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = undefined;
    };
    // Built once per tag; data and window changes go through setData/setScale below.
  }, [tag]);

  useEffect(() => {
    const chart = plot.current;
    if (!chart) return;
    const data = props.buffer.toArrays();
    chart.batch(() => {
      chart.setData(data, false);
      const last = data[0].at(-1) ?? Date.now() / 1000;
      const view = props.window ?? { from: last - 3600, to: last };
      chart.setScale('x', { min: view.from, max: view.to });
    });
  }, [props.version, props.window]);

  return (
    <div
      class="trend-chart"
      ref={host}
      role="img"
      aria-label={`Trend of ${tag} (${meta.unit ?? ''}), range ${range.min} to ${range.max}`}
    />
  );
}
