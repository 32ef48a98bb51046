import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { HistorianStore, StoredAlarmEntry } from '@ot-mqtt/historian';
import type { AlarmRecord, AlarmState } from '@ot-mqtt/scan-monitor';
import type { AlarmSettings } from './alarm-config.js';
import { alarmRecordsCsv, alarmJournalCsv } from './alarm-csv.js';
import {
  AckBodySchema,
  AckConflictSchema,
  AckParamsSchema,
  AlarmJournalEntrySchema,
  AlarmListQuerySchema,
  AlarmRecordSchema,
  JournalQuerySchema,
} from './alarm-schemas.js';
import { eventPayload, type AlarmServer } from './alarm-server.js';
import { ALLOWED, AlarmsQuerySchema, AlarmTransitionsSchema, ErrorSchema } from './api-schemas.js';
import { registerOeeRoutes } from './oee-routes.js';

/** What the alarm and OEE routes need (part of the server's dependencies). */
export interface AlarmRouteDeps {
  /** The history and the alarm journal. */
  readonly store: HistorianStore;
  /** Bearer token for reading /api/* (GATEWAY_TOKEN), or undefined. */
  readonly token: string | undefined;
  /** GATEWAY_OPERATOR_TOKEN: may acknowledge; undefined disables acknowledging. */
  readonly operatorToken?: string | undefined;
  /** The running alarm server; without it the alarm list and ack answer 503. */
  readonly alarmServer?: AlarmServer | undefined;
  /** Shift and ideal rate (defaults when absent). */
  readonly alarmSettings?: AlarmSettings | undefined;
}

const HOUR = 3_600_000;
// Most alarm-relevant first: what needs an operator (unacknowledged), then what is still active.
const STATE_RANK: Record<AlarmState, number> = {
  'unacknowledged-active': 0,
  'unacknowledged-returned-to-normal': 1,
  'acknowledged-active': 2,
  normal: 3,
};
const NOT_NORMAL: readonly AlarmState[] = [
  'unacknowledged-active',
  'unacknowledged-returned-to-normal',
  'acknowledged-active',
];

const err = (error: string, parameter: string) => ({
  error,
  parameter,
  allowed: ALLOWED[parameter] ?? '',
});
const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
/** `[from, to)` with the last 24 h as default; `undefined` when empty. */
function lastDay(q: { from?: number | undefined; to?: number | undefined }) {
  const to = q.to ?? Date.now();
  const from = q.from ?? to - 24 * HOUR;
  return from < to ? { from, to } : undefined;
}
const digest = (s: string) => createHash('sha256').update(s).digest();

/** A lifecycle record as the API shows it. */
export function recordJson(r: AlarmRecord) {
  return {
    machineId: r.machineId,
    alarm: r.alarm,
    state: r.state,
    active: r.active,
    acknowledged: r.state === 'acknowledged-active' || r.state === 'normal',
    firstOut: r.firstOut,
    raisedAt: iso(r.raisedAt),
    acknowledgedAt: iso(r.acknowledgedAt),
    acknowledgedBy: r.acknowledgedBy ?? null,
    clearedAt: iso(r.clearedAt),
  };
}

const journalJson = (e: StoredAlarmEntry) => ({ id: e.id, ...eventPayload(e) });

/** Whether an occurrence overlaps `[from, to)`: raised before `to`, and not over before `from`. */
function overlaps(r: AlarmRecord, from: number, to: number): boolean {
  if (r.raisedAt === undefined || r.raisedAt >= to) return false;
  if (r.state !== 'normal') return true;
  return Math.max(r.clearedAt ?? r.raisedAt, r.acknowledgedAt ?? r.raisedAt) >= from;
}

function csvReply(reply: FastifyReply, name: string, body: string) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .serializer((s: unknown) => s as string)
    .send(body);
}

/**
 * The alarm server's HTTP side — `GET /api/alarms` (lifecycle now), `GET /api/alarms/journal`,
 * `GET /api/alarms/transitions` (raise/clear from the stored samples),
 * `POST /api/alarms/{machineId}/{alarm}/ack` (operator token) — and the OEE route.
 */
export async function registerAlarmRoutes(app: FastifyInstance, deps: AlarmRouteDeps) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const errors = { 400: ErrorSchema, 404: ErrorSchema, 503: ErrorSchema };
  const notRunning = { error: 'the alarm server is not running in this gateway' };

  api.get(
    '/api/alarms',
    {
      schema: {
        description:
          'Alarm lifecycle states (ISA-18.2) of every machine: unacknowledged-active first, then unacknowledged-returned-to-normal, acknowledged-active, normal; newest raise first within a state. Default: every state but normal.',
        querystring: AlarmListQuerySchema,
        response: { 200: AlarmRecordSchema.array(), ...errors },
      },
    },
    async (req, reply) => {
      const server = deps.alarmServer;
      if (!server) return reply.code(503).send(notRunning);
      const q = req.query;
      const from = q.from ?? Number.NEGATIVE_INFINITY;
      const to = q.to ?? Number.POSITIVE_INFINITY;
      if (from >= to) return reply.code(400).send(err('to must be after from', 'to'));
      const states = q.state?.includes('all')
        ? undefined
        : ((q.state as AlarmState[] | undefined) ?? NOT_NORMAL);
      const records = server
        .records(q.machineId)
        .filter(
          (r) =>
            (q.alarm === undefined || r.alarm === q.alarm) &&
            (states === undefined || states.includes(r.state)) &&
            (q.from === undefined && q.to === undefined ? true : overlaps(r, from, to)),
        )
        .sort(
          (a, b) =>
            STATE_RANK[a.state] - STATE_RANK[b.state] ||
            (b.raisedAt ?? 0) - (a.raisedAt ?? 0) ||
            a.machineId.localeCompare(b.machineId),
        )
        .map(recordJson);
      if (q.format === 'csv') return csvReply(reply, 'alarms', alarmRecordsCsv(records));
      return records;
    },
  );

  api.get(
    '/api/alarms/journal',
    {
      schema: {
        description:
          'The alarm journal: every raise, acknowledgement and clear in [from, to) (default: the last 24 h), oldest first; the newest `limit` lines.',
        querystring: JournalQuerySchema,
        response: { 200: AlarmJournalEntrySchema.array(), ...errors },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const range = lastDay(q);
      if (!range) return reply.code(400).send(err('to must be after from', 'to'));
      const lines = (
        await deps.store.alarmJournal({
          ...range,
          ...(q.machineId === undefined ? {} : { machineId: q.machineId }),
          ...(q.alarm === undefined ? {} : { alarm: q.alarm }),
          ...(q.event === undefined ? {} : { event: q.event }),
          limit: q.limit ?? 10_000,
        })
      ).map(journalJson);
      if (q.format === 'csv') return csvReply(reply, 'alarm-journal', alarmJournalCsv(lines));
      return lines;
    },
  );

  api.get(
    '/api/alarms/transitions',
    {
      schema: {
        description:
          'Raises and clears of the alarm tags in [from, to) (default: the last 24 h), read from the stored samples (also from before the alarm server ran).',
        querystring: AlarmsQuerySchema,
        response: { 200: AlarmTransitionsSchema, ...errors },
      },
    },
    async (req, reply) => {
      const range = lastDay(req.query);
      if (!range) return reply.code(400).send(err('to must be after from', 'to'));
      const machineId = req.query.machineId;
      if (machineId && !(await deps.store.getMachine(machineId)))
        return reply.code(404).send(err(`unknown machine ${machineId}`, 'machineId'));
      return deps.store.alarmTransitions({ ...range, ...(machineId ? { machineId } : {}) });
    },
  );

  const operator = deps.operatorToken && digest(`Bearer ${deps.operatorToken}`);
  const reader = deps.token && digest(`Bearer ${deps.token}`);
  api.post(
    '/api/alarms/:machineId/:alarm/ack',
    {
      attachValidation: true,
      schema: {
        description:
          'Acknowledges an unacknowledged alarm (Authorization: Bearer <GATEWAY_OPERATOR_TOKEN>), recording who and when. Never clears an active alarm: a latched PLC alarm stays acknowledged-active until the machine is reset.',
        params: AckParamsSchema,
        body: AckBodySchema,
        response: {
          200: AlarmRecordSchema,
          401: ErrorSchema,
          403: ErrorSchema,
          409: AckConflictSchema,
          ...errors,
          503: ErrorSchema,
        },
      },
    },
    async (req, reply) => {
      const given = digest(req.headers.authorization ?? '');
      if (!operator) {
        return reply
          .code(403)
          .send(
            err(
              'acknowledging alarms is disabled: the gateway runs without GATEWAY_OPERATOR_TOKEN',
              'Authorization',
            ),
          );
      }
      if (!timingSafeEqual(given, operator)) {
        if (reader && timingSafeEqual(given, reader))
          return reply
            .code(403)
            .send(err('this token may read, not acknowledge alarms', 'Authorization'));
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer')
          .send(err('missing or wrong operator token', 'Authorization'));
      }
      if (req.validationError) {
        const v = req.validationError as { validation?: { instancePath?: string }[] };
        const path = v.validation?.[0]?.instancePath?.replace(/^\//u, '').split('/')[0];
        const parameter =
          req.validationError.validationContext === 'params' ? path || 'machineId' : 'user';
        return reply
          .code(400)
          .send(err(`invalid ${parameter}: ${req.validationError.message}`, parameter));
      }
      const server = deps.alarmServer;
      if (!server) return reply.code(503).send(notRunning);
      const { machineId, alarm } = req.params;
      const result = await server.acknowledge(machineId, alarm, req.body.user);
      if (result.ok) return recordJson(result.record);
      if (result.reason === 'unknown-machine')
        return reply.code(404).send(err(`no alarms known for machine ${machineId}`, 'machineId'));
      if (result.reason === 'unknown-alarm')
        return reply.code(404).send(err(`unknown alarm ${alarm}`, 'alarm'));
      if (result.reason === 'journal-unavailable')
        return reply.code(503).send({
          error:
            'the database does not answer: the acknowledgement is kept and journalled (and published) when it returns',
        });
      return reply.code(409).send({
        ...err(`${alarm} of ${machineId} is not unacknowledged (${result.record!.state})`, 'alarm'),
        record: recordJson(result.record!),
      });
    },
  );

  await registerOeeRoutes(app, deps);
}
