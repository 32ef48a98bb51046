import type { HistoryResult } from '@ot-mqtt/historian';

// twa last: columns are only ever appended, so scripts reading by position keep working.
const HEADER = 'tag,timestamp,min,max,avg,last,count,value,twa';

/** A history result as CSV: header row, then one row per bucket (numbers) or change (booleans). */
export function historyCsv(result: HistoryResult): string {
  const lines = [HEADER];
  for (const s of result.series) {
    if (s.kind === 'number') {
      for (const p of s.points)
        lines.push(`${s.tag},${p.t},${p.min},${p.max},${p.avg},${p.last},${p.count},,${p.twa}`);
    } else {
      for (const p of s.points) lines.push(`${s.tag},${p.t},,,,,,${p.value},`);
    }
  }
  return lines.join('\r\n') + '\r\n';
}
