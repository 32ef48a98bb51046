import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HistorianStore } from '@ot-mqtt/historian';
import type { AlarmEventPayload, Alarms, DataPayload } from '@ot-mqtt/tag-model';
import type { FastifyInstance } from 'fastify';
import { createAlarmServer, type AlarmServer } from './alarm-server.js';
import { createServer } from './create-server.js';
import { someTags } from './gateway-process.test-helper.js';
import {
  closeTestHistorian,
  openTestHistorian,
  serverDeps,
  silent,
} from './api-test.test-helper.js';

const T0 = Date.parse('2026-11-30T08:00:00.000Z');
const ROOT = 'plc/bottlefiller';
const READ = 'read-token-of-the-dashboard';
const OPERATOR = 'operator-token-of-the-line';
const quiet: Alarms = {
  LowProductLevel: false,
  Overfill: false,
  Underfill: false,
  NoBottle: false,
  CapMissing: false,
};

describe('gateway alarm server: lifecycle, journal, acknowledge', () => {
  let dir: string;
  let store: HistorianStore;
  let alarms: AlarmServer;
  let app: FastifyInstance;
  const published: { topic: string; payload: AlarmEventPayload }[] = [];
  let seq = 0;
  const feed = (machineId: string, at: number, patch: Partial<Alarms>, fleet = true) => {
    const scan: DataPayload = {
      schemaVersion: 1,
      machineId,
      sequence: seq++,
      timestamp: new Date(at).toISOString(),
      tags: { ...someTags(), alarms: { ...quiet, ...patch } },
    };
    return alarms.onScan(scan, fleet ? `${ROOT}/${machineId}/data` : `${ROOT}/data`);
  };
  const start = async () => {
    alarms = await createAlarmServer({
      store,
      log: silent,
      topicRoot: ROOT,
      publish: (topic, payload) => published.push({ topic, payload }),
    });
    app = await createServer({
      ...serverDeps({ dir, store }),
      token: READ,
      operatorToken: OPERATOR,
      alarmServer: alarms,
      topicRoot: ROOT,
    });
  };
  const get = (url: string) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${READ}` } });
  const ack = (
    machineId: string,
    alarm: string,
    token?: string,
    body: unknown = { user: 'anna' },
  ) =>
    app.inject({
      method: 'POST',
      url: `/api/alarms/${machineId}/${alarm}/ack`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      payload: body as object,
    });

  beforeAll(async () => {
    ({ dir, store } = await openTestHistorian('gateway-alarms-'));
    await start();
  });
  afterAll(() => closeTestHistorian({ dir, store }, app));

  it('raises an alarm as unacknowledged-active, first-out, journalled and published on the machine’s events topic', async () => {
    await feed('filler-01', T0, {});
    await feed('filler-01', T0 + 1_000, { Overfill: true });
    await feed('filler-01', T0 + 2_000, { Overfill: true, CapMissing: true });
    const list = (await get('/api/alarms')).json();
    expect(list).toEqual([
      expect.objectContaining({
        machineId: 'filler-01',
        alarm: 'CapMissing',
        state: 'unacknowledged-active',
        firstOut: false,
        raisedAt: '2026-11-30T08:00:02.000Z',
      }),
      {
        machineId: 'filler-01',
        alarm: 'Overfill',
        state: 'unacknowledged-active',
        active: true,
        acknowledged: false,
        firstOut: true,
        raisedAt: '2026-11-30T08:00:01.000Z',
        acknowledgedAt: null,
        acknowledgedBy: null,
        clearedAt: null,
      },
    ]);
    expect(published.map((p) => [p.topic, p.payload.alarm, p.payload.event])).toEqual([
      [`${ROOT}/filler-01/alarms/events`, 'Overfill', 'raised'],
      [`${ROOT}/filler-01/alarms/events`, 'CapMissing', 'raised'],
    ]);
    expect(published[0]!.payload).toEqual({
      schemaVersion: 1,
      timestamp: '2026-11-30T08:00:01.000Z',
      machineId: 'filler-01',
      alarm: 'Overfill',
      event: 'raised',
      state: 'unacknowledged-active',
      firstOut: true,
      raisedAt: '2026-11-30T08:00:01.000Z',
    });
  });

  it('acknowledging needs the operator token: 401 without, 403 with the read token; JSON naming Authorization', async () => {
    const none = await ack('filler-01', 'Overfill');
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ parameter: 'Authorization' });
    const wrong = await ack('filler-01', 'Overfill', 'not-the-operator-token');
    expect(wrong.statusCode).toBe(401);
    const reader = await ack('filler-01', 'Overfill', READ);
    expect(reader.statusCode).toBe(403);
    expect(reader.json()).toMatchObject({ parameter: 'Authorization' });
    expect(JSON.stringify([none.json(), reader.json()])).not.toContain(OPERATOR);
  });

  it('an acknowledged latched alarm stays active (acknowledged-active) until its tag clears', async () => {
    const res = await ack('filler-01', 'Overfill', OPERATOR, { user: 'anna' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      state: 'acknowledged-active',
      active: true,
      acknowledged: true,
      acknowledgedBy: 'anna',
    });
    expect(published.at(-1)!.payload).toMatchObject({
      event: 'acknowledged',
      state: 'acknowledged-active',
      user: 'anna',
    });
    // A second acknowledgement changes nothing: 409 with the record.
    const again = await ack('filler-01', 'Overfill', OPERATOR);
    expect(again.statusCode).toBe(409);
    expect(again.json().record).toMatchObject({ state: 'acknowledged-active' });
    // Still listed (active), after the unacknowledged CapMissing.
    expect((await get('/api/alarms')).json().map((r: { alarm: string }) => r.alarm)).toEqual([
      'CapMissing',
      'Overfill',
    ]);
    // The PLC's reset clears the tags: acknowledged → normal, unacknowledged → returned-to-normal.
    await feed('filler-01', T0 + 10_000, {});
    const after = (await get('/api/alarms?machineId=filler-01&state=all')).json();
    expect(after.find((r: { alarm: string }) => r.alarm === 'Overfill')).toMatchObject({
      state: 'normal',
      clearedAt: '2026-11-30T08:00:10.000Z',
      acknowledgedBy: 'anna',
    });
    expect(after[0]).toMatchObject({
      alarm: 'CapMissing',
      state: 'unacknowledged-returned-to-normal',
      active: false,
    });
  });

  it('clear before ack: unacknowledged-returned-to-normal until acknowledged, then normal', async () => {
    const res = await ack('filler-01', 'CapMissing', OPERATOR, { user: 'ben' });
    expect(res.json()).toMatchObject({ state: 'normal', acknowledgedBy: 'ben' });
    expect((await get('/api/alarms?machineId=filler-01')).json()).toEqual([]);
  });

  it('keeps a journal of every transition, filterable, also as CSV', async () => {
    const journal = (await get('/api/alarms/journal?machineId=filler-01&from=2026-11-30T07:00:00Z'))
      .json()
      .map((e: { alarm: string; event: string; state: string; user?: string }) => [
        e.alarm,
        e.event,
        e.state,
        e.user,
      ]);
    expect(journal).toEqual([
      // In time order: scans carry 08:00 times, acknowledgements the wall-clock time (later).
      ['Overfill', 'raised', 'unacknowledged-active', undefined],
      ['CapMissing', 'raised', 'unacknowledged-active', undefined],
      ['Overfill', 'cleared', 'normal', undefined],
      ['CapMissing', 'cleared', 'unacknowledged-returned-to-normal', undefined],
      ['Overfill', 'acknowledged', 'acknowledged-active', 'anna'],
      ['CapMissing', 'acknowledged', 'normal', 'ben'],
    ]);
    const acks = await get(
      '/api/alarms/journal?event=acknowledged&alarm=Overfill&from=2026-11-30T07:00:00Z',
    );
    expect(acks.json()).toHaveLength(1);
    const csv = await get('/api/alarms/journal?format=csv&from=2026-11-30T07:00:00Z');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toBe(
      'id,timestamp,machineId,alarm,event,state,firstOut,user,raisedAt',
    );
    expect(csv.body).toContain(',Overfill,acknowledged,acknowledged-active,true,anna,');
  });

  it('publishes a single filler’s events without a machine level, and escapes CSV cells', async () => {
    await feed('filler-01x', T0 + 20_000, {}, false);
    await feed('filler-01x', T0 + 21_000, { NoBottle: true }, false);
    expect(published.at(-1)!.topic).toBe(`${ROOT}/alarms/events`);
    const res = await ack('filler-01x', 'NoBottle', OPERATOR, { user: '=cmd()' });
    expect(res.statusCode).toBe(200);
    const csv = (await get('/api/alarms?format=csv&state=all&machineId=filler-01x')).body;
    expect(csv).toContain(",'=cmd(),");
  });

  it('rebuilds every alarm’s state from the journal after a restart', async () => {
    await feed('filler-02', T0 + 30_000, { Underfill: true });
    await feed('filler-03', T0 + 30_000, { CapMissing: true }, false);
    await app.close();
    await start();
    // No scan of filler-03 since the restart: its events still go to the single-filler topic.
    expect((await ack('filler-03', 'CapMissing', OPERATOR)).statusCode).toBe(200);
    expect(published.at(-1)).toMatchObject({
      topic: `${ROOT}/alarms/events`,
      payload: { machineId: 'filler-03', event: 'acknowledged' },
    });
    expect((await get('/api/alarms?machineId=filler-02')).json()).toEqual([
      expect.objectContaining({
        alarm: 'Underfill',
        state: 'unacknowledged-active',
        firstOut: true,
      }),
    ]);
    const res = await ack('filler-02', 'Underfill', OPERATOR, { user: 'carl' });
    expect(res.json()).toMatchObject({ state: 'acknowledged-active' });
    // Still latched in the next scan: no new raise (the rebuilt state knows it is active).
    const before = published.length;
    await feed('filler-02', T0 + 40_000, { Underfill: true });
    expect(published.length).toBe(before);
  });

  it.each([
    ['GET', '/api/alarms?state=shelved', 'state', 400],
    ['GET', '/api/alarms?alarm=Fire', 'alarm', 400],
    ['GET', '/api/alarms?machineId=bad%20id', 'machineId', 400],
    ['GET', '/api/alarms?from=2026-11-30T09:00:00Z&to=2026-11-30T08:00:00Z', 'to', 400],
    ['GET', '/api/alarms/journal?event=shelved', 'event', 400],
    ['GET', '/api/alarms/journal?limit=0', 'limit', 400],
    ['POST', '/api/alarms/nobody/Overfill/ack', 'machineId', 404],
    ['POST', '/api/alarms/filler-01/Fire/ack', 'alarm', 404],
    ['POST', '/api/alarms/bad%20id/Overfill/ack', 'machineId', 400],
  ])('%s %s → JSON naming %s', async (method, url, parameter, status) => {
    const res = await app.inject({
      method: method as 'GET' | 'POST',
      url,
      headers: { authorization: `Bearer ${method === 'GET' ? READ : OPERATOR}` },
      ...(method === 'POST' ? { payload: { user: 'anna' } } : {}),
    });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ parameter, error: expect.any(String) });
  });

  it.each([{}, { user: '' }, { user: 'x'.repeat(65) }, { user: 'a\u0007b' }])(
    'an acknowledgement without a proper user name is a 400 naming user: %j',
    async (body) => {
      const res = await ack('filler-02', 'Underfill', OPERATOR, body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ parameter: 'user' });
    },
  );

  it('lists the alarm and OEE routes in /openapi.json', async () => {
    const doc = (await get('/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/alarms',
        '/api/alarms/journal',
        '/api/alarms/transitions',
        '/api/alarms/{machineId}/{alarm}/ack',
        '/api/machines/{machineId}/oee',
      ]),
    );
  });
});
