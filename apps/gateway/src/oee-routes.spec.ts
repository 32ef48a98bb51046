import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HistorianStore, type ScanRecord } from '@ot-mqtt/historian';
import type { FastifyInstance } from 'fastify';
import { createServer } from './create-server.js';
import { someTags } from './gateway-process.test-helper.js';
import { closeTestHistorian, openTestHistorian, serverDeps } from './api-test.test-helper.js';

// A scripted run whose OEE is computed by hand: scans every 2 s from 06:00 to 08:10; the line
// fills one bottle every 4 s of running time, rejects every 40th bottle, and is faulted (not
// running) for exactly 6 minutes, 06:20–06:26. Ideal rate 16 bottles/min. As the simulator does,
// a bottle counts in BottlesFilled (good) or in BottlesRejected, never in both.
//
// 06:00–07:00: planned 3600 s, run 3240 s → availability 0.9; bottles 3240 / 4 = 810 →
//   performance 810 / (54 min × 16) = 0.9375; rejects ⌊810 / 40⌋ = 20 → quality 790 / 810;
//   OEE = 0.9 × 0.9375 × 790/810 = 711/864 ≈ 0.8229.
// 07:00–08:00: planned = run = 3600 s; bottles 900 (810 → 1710) → performance 900 / 960 = 0.9375;
//   rejects ⌊1710 / 40⌋ − 20 = 22 → quality 878 / 900; OEE = 0.9375 × 878/900 ≈ 0.9146.
// 06:00–08:00: run 6840 s of 7200 → 0.95; 1710 bottles / (114 × 16) = 0.9375; 42 rejects.
const H6 = Date.parse('2026-11-30T06:00:00.000Z');
const FAULT = { from: H6 + 20 * 60_000, to: H6 + 26 * 60_000 };
const IDEAL = 16;

function scenario(): ScanRecord[] {
  const scans: ScanRecord[] = [];
  for (let t = H6, sequence = 0; t <= H6 + 130 * 60_000; t += 2_000, sequence++) {
    const runSeconds = (t - H6 - Math.max(0, Math.min(t, FAULT.to) - FAULT.from)) / 1000;
    const filled = Math.floor(runSeconds / 4);
    const fault = t >= FAULT.from && t < FAULT.to;
    const tags = someTags(50, fault);
    tags.counters = {
      BottlesFilled: filled - Math.floor(filled / 40),
      BottlesRejected: Math.floor(filled / 40),
      BottlesPerMinute: 15,
    };
    scans.push({ machineId: 'filler-01', sequence, timestamp: new Date(t).toISOString(), tags });
  }
  return scans;
}

describe('GET /api/machines/{machineId}/oee', () => {
  let dir: string;
  let store: HistorianStore;
  let app: FastifyInstance;
  let lateShift: FastifyInstance;
  const get = async (url: string, server = app) => server.inject({ method: 'GET', url });

  beforeAll(async () => {
    ({ dir, store } = await openTestHistorian('gateway-oee-'));
    const scans = scenario();
    for (let i = 0; i < scans.length; i += 500) await store.writeScans(scans.slice(i, i + 500));
    const deps = serverDeps({ dir, store });
    const settings = {
      operatorToken: undefined,
      shiftHours: 8,
      shiftUtcOffsetMinutes: 0,
      idealRatePerMinute: IDEAL,
    };
    app = await createServer({ ...deps, alarmSettings: { ...settings, shiftStart: '06:00' } });
    lateShift = await createServer({
      ...deps,
      alarmSettings: { ...settings, shiftStart: '07:00' },
    });
  });
  afterAll(() => closeTestHistorian({ dir, store }, app, lateShift));

  it('matches the hand-computed OEE per hour, over the window and for the shift', async () => {
    const res = await get(
      '/api/machines/filler-01/oee?from=2026-11-30T06:00:00Z&to=2026-11-30T08:00:00Z',
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.idealRatePerMinute).toBe(IDEAL);
    const [first, second] = body.hours;
    expect(body.hours).toHaveLength(2);
    expect(first).toMatchObject({
      from: '2026-11-30T06:00:00.000Z',
      to: '2026-11-30T07:00:00.000Z',
      plannedMs: 3_600_000,
      runMs: 3_240_000,
      total: 810,
      rejected: 20,
      good: 790,
    });
    expect(first.availability).toBeCloseTo(0.9, 12);
    expect(first.performance).toBeCloseTo(0.9375, 12);
    expect(first.quality).toBeCloseTo(790 / 810, 12);
    expect(first.oee).toBeCloseTo(711 / 864, 12);
    expect(second).toMatchObject({
      plannedMs: 3_600_000,
      runMs: 3_600_000,
      total: 900,
      rejected: 22,
    });
    expect(second.availability).toBe(1);
    expect(second.oee).toBeCloseTo(0.9375 * (878 / 900), 12);
    expect(body.window).toMatchObject({ runMs: 6_840_000, total: 1710, rejected: 42 });
    expect(body.window.availability).toBeCloseTo(0.95, 12);
    expect(body.window.performance).toBeCloseTo(0.9375, 12);
    // The shift (06:00–14:00) up to the end of the window is the window here.
    expect(body.shift).toEqual(body.window);
  });

  it('defaults to the shift containing `to`, from the configured shift start', async () => {
    const res = await get('/api/machines/filler-01/oee?to=2026-11-30T08:00:00Z', lateShift);
    const body = res.json();
    expect(body.shiftPattern).toEqual({ start: '07:00', hours: 8, utcOffsetMinutes: 0 });
    expect(body.window).toMatchObject({ from: '2026-11-30T07:00:00.000Z', total: 900 });
    expect(body.shift).toEqual(body.window);
  });

  it('has no ratios where there is nothing to divide by (no scans in the window)', async () => {
    const body = (
      await get('/api/machines/filler-01/oee?from=2026-11-30T10:00:00Z&to=2026-11-30T11:00:00Z')
    ).json();
    expect(body.window).toMatchObject({ plannedMs: 0, availability: null, oee: null });
  });

  it.each([
    ['/api/machines/nobody/oee', 'machineId', 404],
    ['/api/machines/filler-01/oee?from=noon', 'from', 400],
    ['/api/machines/filler-01/oee?from=2026-11-30T08:00:00Z&to=2026-11-30T07:00:00Z', 'to', 400],
    ['/api/machines/filler-01/oee?from=2026-11-28T08:00:00Z&to=2026-11-30T07:00:00Z', 'from', 400],
  ])('%s → %s JSON naming %s', async (url, parameter, status) => {
    const res = await get(url);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ parameter });
  });
});
