import { describe, expect, it } from 'vitest';
import { parseHistory } from './history.js';

describe('parseHistory', () => {
  it('reads buckets with avg/last per tag, skipping bad points', () => {
    const body = {
      series: {
        FillLevel: [
          { t: '2026-01-01T00:00:00.000Z', min: 1, max: 3, avg: 2, last: 3 },
          { t: 'nonsense', avg: 5 },
          { timestamp: '2026-01-01T00:00:02.000Z', last: 4 },
        ],
      },
    };
    const map = parseHistory(body, ['FillLevel', 'TankPressure']);
    expect(map.get('FillLevel')).toEqual([
      [Date.parse('2026-01-01T00:00:00.000Z') / 1000, 2],
      [Date.parse('2026-01-01T00:00:02.000Z') / 1000, 4],
    ]);
    expect(map.get('TankPressure')).toEqual([]);
  });

  it('reads an array of { tag, points } with [t, v] pairs, and survives garbage', () => {
    const map = parseHistory({ series: [{ tag: 'FillLevel', points: [[1_700_000_000_000, 5]] }] }, [
      'FillLevel',
    ]);
    expect(map.get('FillLevel')).toEqual([[1_700_000_000, 5]]);
    expect(parseHistory('garbage', ['FillLevel']).get('FillLevel')).toEqual([]);
    expect(parseHistory(null, ['FillLevel']).get('FillLevel')).toEqual([]);
  });
});
