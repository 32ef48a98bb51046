import type { HistoryResult } from '@ot-mqtt/historian';

const HEADER = 'tag,timestamp,min,max,avg,last,count,value';

/** A history result as CSV: header row, then one row per bucket (numbers) or change (booleans). */
export function historyCsv(result: HistoryResult): string {
  const lines = [HEADER];
  for (const s of result.series) {
    if (s.kind === 'number') {
      for (const p of s.points)
        lines.push(`${s.tag},${p.t},${p.min},${p.max},${p.avg},${p.last},${p.count},`);
    } else {
      for (const p of s.points) lines.push(`${s.tag},${p.t},,,,,,${p.value}`);
    }
  }
  return lines.join('\r\n') + '\r\n';
}
