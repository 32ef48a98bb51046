import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HistorianStore, type ScanRecord } from '@ot-mqtt/historian';
import type { FastifyInstance } from 'fastify';
import { createServer } from './create-server.js';
import { someTags } from './gateway-process.test-helper.js';
import { closeTestHistorian, openTestHistorian, serverDeps } from './api-test.test-helper.js';

const T0 = Date.parse('2026-11-30T00:00:00.000Z');
const scan = (machineId: string, sequence: number, level: number, fault = false): ScanRecord => ({
  machineId,
  sequence,
  timestamp: new Date(T0 + sequence * 2_000).toISOString(),
  tags: someTags(level, fault),
});

describe('gateway REST API', () => {
  let dir: string;
  let store: HistorianStore;
  let app: FastifyInstance;
  let secured: FastifyInstance;
  const TOKEN = 'a-long-enough-test-token';
  const get = async (url: string, server = app) => server.inject({ method: 'GET', url });

  beforeAll(async () => {
    ({ dir, store } = await openTestHistorian('gateway-api-', { deadbandPercent: 0 }));
    // filler-01: 0..99 % over 100 scans; sequences 50-52 missing (a gap); a fault at 60-61.
    await store.writeScans(
      Array.from({ length: 100 }, (_, n) => n)
        .filter((n) => n < 50 || n > 52)
        .map((n) => scan('filler-01', n, n, n === 60 || n === 61)),
    );
    await store.writeScans([scan('filler-02', 0, 10)]);
    await store.setConnection('filler-02', 'offline', T0 + 5_000);
    const deps = { ...serverDeps({ dir, store }), dashboardMqttUrl: 'ws://plant:9001' };
    app = await createServer(deps);
    secured = await createServer({ ...deps, token: TOKEN });
  });
  afterAll(() => closeTestHistorian({ dir, store }, app, secured));

  it('GET /api/machines lists every machine with online, lastSeen, lastSequence and state', async () => {
    // Both were received just now: filler-01 has no connection message (online = recent scan),
    // filler-02's agent said offline.
    const res = await get('/api/machines');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      {
        machineId: 'filler-01',
        online: true,
        stale: false,
        lastSeen: '2026-11-30T00:03:18.000Z',
        lastSequence: 99,
        state: 'running',
      },
      {
        machineId: 'filler-02',
        online: false,
        stale: false,
        lastSeen: '2026-11-30T00:00:00.000Z',
        lastSequence: 0,
        state: 'running',
      },
    ]);
  });

  it('GET /latest gives the last scan with tags flat by name; an unknown machine is a 404', async () => {
    const res = await get('/api/machines/filler-01/latest');
    expect(res.json()).toMatchObject({
      timestamp: '2026-11-30T00:03:18.000Z',
      sequence: 99,
      tags: { FillLevel: 99, Fault: false },
    });
    const missing = await get('/api/machines/nobody/latest');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({
      error: 'unknown machine nobody',
      parameter: 'machineId',
    });
  });

  it('GET /history downsamples numbers to min/max/avg/last buckets and booleans to change points', async () => {
    const res = await get(
      '/api/machines/filler-01/history?tags=FillLevel,Fault&from=2026-11-30T00:00:00Z&to=2026-11-30T00:03:20Z&maxPoints=4',
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const [level, fault] = body.series;
    expect(level).toMatchObject({ tag: 'FillLevel', kind: 'number', unit: '%', bucketMs: 50_000 });
    expect(level.points).toHaveLength(4);
    expect(level.points[0]).toMatchObject({
      t: '2026-11-30T00:00:00.000Z',
      min: 0,
      max: 24,
      last: 24,
      count: 25,
    });
    expect(fault.points).toEqual([
      { t: '2026-11-30T00:00:00.000Z', value: false },
      { t: '2026-11-30T00:02:00.000Z', value: true },
      { t: '2026-11-30T00:02:04.000Z', value: false },
    ]);
  });

  it('GET /history?format=csv returns CSV with a header row', async () => {
    const res = await get(
      '/api/machines/filler-01/history?tags=FillLevel&from=2026-11-30T00:00:00Z&to=2026-11-30T00:03:20Z&maxPoints=2&format=csv',
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.body.split('\r\n')).toEqual([
      'tag,timestamp,min,max,avg,last,count,value,twa',
      // Every value held 2 s: the time-weighted average equals the mean here.
      expect.stringMatching(/^FillLevel,2026-11-30T00:00:00.000Z,0,49,24.5,49,50,,24.5$/),
      expect.stringMatching(/^FillLevel,2026-11-30T00:01:40.000Z,53,99,/),
      '',
    ]);
  });

  it('GET /scans lists stored scans in order, so the gap 50-52 is visible', async () => {
    const res = await get(
      '/api/machines/filler-01/scans?from=2026-11-30T00:01:36Z&to=2026-11-30T00:01:50Z&limit=10',
    );
    expect(res.json().map((s: { sequence: number }) => s.sequence)).toEqual([48, 49, 53, 54]);
    expect(res.json()[0]).toEqual({ timestamp: '2026-11-30T00:01:36.000Z', sequence: 48 });
  });

  it('GET /api/alarms/transitions lists alarm tag raises and clears, also per machine', async () => {
    const res = await get(
      '/api/alarms/transitions?from=2026-11-30T00:00:00Z&to=2026-11-30T01:00:00Z',
    );
    expect(res.json()).toEqual([
      {
        machineId: 'filler-01',
        alarm: 'Overfill',
        transition: 'raised',
        timestamp: '2026-11-30T00:02:00.000Z',
      },
      {
        machineId: 'filler-01',
        alarm: 'Overfill',
        transition: 'cleared',
        timestamp: '2026-11-30T00:02:04.000Z',
      },
    ]);
    expect(
      (
        await get(
          '/api/alarms/transitions?machineId=filler-02&from=2026-11-30T00:00:00Z&to=2026-11-30T01:00:00Z',
        )
      ).json(),
    ).toEqual([]);
    expect((await get('/api/alarms/transitions?machineId=nobody')).statusCode).toBe(404);
  });

  it.each([
    ['/api/machines/filler-01/history?maxPoints=0', 'maxPoints'],
    ['/api/machines/filler-01/history?maxPoints=ten', 'maxPoints'],
    ['/api/machines/filler-01/history?tags=FillLevel,Nope', 'tags'],
    ['/api/machines/filler-01/history?from=yesterday', 'from'],
    ['/api/machines/filler-01/history?format=xml', 'format'],
    ['/api/machines/filler-01/history?from=2026-11-30T01:00:00Z&to=2026-11-30T00:00:00Z', 'to'],
    ['/api/machines/filler-01/scans?limit=-1', 'limit'],
    ['/api/machines/bad%20id/scans', 'machineId'],
    ['/api/alarms/transitions?to=soon', 'to'],
  ])(
    '400 with a JSON body naming the parameter and what is allowed: %s',
    async (url, parameter) => {
      const res = await get(url);
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body.parameter).toBe(parameter);
      expect(body.error).toEqual(expect.any(String));
      expect(body.allowed).toEqual(expect.any(String));
      expect(body.allowed.length).toBeGreaterThan(3);
    },
  );

  it('serves /healthz, /readyz, /dashboard-config.json and a page at / when the dashboard is not built', async () => {
    expect((await get('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await get('/readyz')).json()).toMatchObject({ ready: true });
    const config = await get('/dashboard-config.json');
    expect(config.json()).toEqual({ topicRoot: 'plc/bottlefiller', mqttUrl: 'ws://plant:9001' });
    expect(config.headers['cache-control']).toBe('no-store');
    const page = await get('/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/openapi.json');
  });

  it('generates /openapi.json (3.1) from the zod schemas, with every contract path', async () => {
    const doc = (await get('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/machines',
        '/api/machines/{machineId}/latest',
        '/api/machines/{machineId}/history',
        '/api/machines/{machineId}/scans',
        '/api/alarms',
        '/healthz',
        '/readyz',
      ]),
    );
    const params = doc.paths['/api/machines/{machineId}/history'].get.parameters.map(
      (p: { name: string }) => p.name,
    );
    expect(params).toEqual(
      expect.arrayContaining(['machineId', 'tags', 'from', 'to', 'maxPoints', 'format']),
    );
  });

  it('with a token, /api/* needs "Authorization: Bearer <token>"; health and the page do not', async () => {
    const denied = await get('/api/machines', secured);
    expect(denied.statusCode).toBe(401);
    expect(denied.json()).toMatchObject({ parameter: 'Authorization' });
    expect(denied.body).not.toContain(TOKEN);
    const wrong = await secured.inject({
      method: 'GET',
      url: '/api/machines',
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await secured.inject({
      method: 'GET',
      url: '/api/machines',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(ok.statusCode).toBe(200);
    expect((await get('/healthz', secured)).statusCode).toBe(200);
  });

  it('unknown routes are a JSON 404', async () => {
    const res = await get('/api/nothing');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toContain('/api/nothing');
  });
});
