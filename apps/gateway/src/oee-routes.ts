import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  computeOee,
  oeeByHour,
  shiftWindow,
  type OeeOptions,
  type OeeResult,
  type OeeSample,
} from '@ot-mqtt/scan-monitor';
import { DEFAULT_IDEAL_RATE } from './alarm-config.js';
import type { AlarmRouteDeps } from './alarm-routes.js';
import { OeeQuerySchema, OeeReportSchema } from './alarm-schemas.js';
import { ALLOWED, ErrorSchema, MachineParamsSchema } from './api-schemas.js';

const DAY = 86_400_000;
/** computeOee's default: longer gaps between scans are "no data". */
const MAX_GAP_MS = 60_000;
const OEE_TAGS = ['SystemRunning', 'Fault', 'BottlesFilled', 'BottlesRejected'];

const oeeJson = (r: OeeResult) => ({
  ...r,
  from: new Date(r.from).toISOString(),
  to: new Date(r.to).toISOString(),
  availability: r.availability ?? null,
  performance: r.performance ?? null,
  quality: r.quality ?? null,
  oee: r.oee ?? null,
});

/** Stored scans as OEE samples: running = SystemRunning and not Fault, bottles = BottlesFilled + BottlesRejected; scans before the first stored value of a tag are skipped. */
function samplesOf(
  scans: readonly { at: number; values: Readonly<Record<string, number | boolean>> }[],
): OeeSample[] {
  const out: OeeSample[] = [];
  for (const { at, values } of scans) {
    const { SystemRunning, Fault, BottlesFilled, BottlesRejected } = values;
    if (typeof BottlesFilled !== 'number' || typeof BottlesRejected !== 'number') continue;
    out.push({
      at,
      running: SystemRunning === true && Fault !== true,
      // The simulator (as the seed's PLC) counts a bottle in exactly one of BottlesFilled (good) and
      // BottlesRejected, so every bottle made is their sum; OEE's total must not subtract rejects twice.
      filled: BottlesFilled + BottlesRejected,
      rejected: BottlesRejected,
    });
  }
  return out;
}

/** `GET /api/machines/{machineId}/oee`: OEE per hour, over the window and for the shift, from the stored scans. */
export async function registerOeeRoutes(app: FastifyInstance, deps: AlarmRouteDeps) {
  const settings = deps.alarmSettings;
  const pattern = {
    startsAt: settings?.shiftStart ?? '06:00',
    lengthHours: settings?.shiftHours ?? 8,
    utcOffsetMinutes: settings?.shiftUtcOffsetMinutes ?? 0,
  };
  const options: OeeOptions = {
    idealRatePerMinute: settings?.idealRatePerMinute ?? DEFAULT_IDEAL_RATE,
    maxGapMs: MAX_GAP_MS,
  };
  const bad = (error: string, parameter: string) => ({
    error,
    parameter,
    allowed: ALLOWED[parameter] ?? '',
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/machines/:machineId/oee',
    {
      schema: {
        description:
          'OEE = availability × performance × quality of one machine in [from, to) (default: from the start of the current shift to now, at most 24 h), per UTC hour and for the shift containing the end of the window. Computed from the stored scans: running = SystemRunning and not Fault; performance against GATEWAY_OEE_IDEAL_RATE; good = filled − rejected.',
        params: MachineParamsSchema,
        querystring: OeeQuerySchema,
        response: { 200: OeeReportSchema, 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (req, reply) => {
      const to = req.query.to ?? Date.now();
      const shift = shiftWindow(to - 1, pattern);
      const from = req.query.from ?? shift.from;
      if (from >= to) return reply.code(400).send(bad('to must be after from', 'to'));
      if (to - from > DAY)
        return reply.code(400).send(bad('the window is longer than 24 h', 'from'));
      const scans = await deps.store.tagValuesAtScans({
        machineId: req.params.machineId,
        tags: OEE_TAGS,
        from: Math.min(from, shift.from),
        // The first scans after the window hold the state until its end (computeOee clips).
        to: to + MAX_GAP_MS,
      });
      if (!scans)
        return reply.code(404).send({
          error: `unknown machine ${req.params.machineId}`,
          parameter: 'machineId',
          allowed: 'a machine id listed by GET /api/machines',
        });
      const samples = samplesOf(scans);
      return {
        machineId: req.params.machineId,
        idealRatePerMinute: options.idealRatePerMinute,
        shiftPattern: {
          start: pattern.startsAt,
          hours: pattern.lengthHours,
          utcOffsetMinutes: pattern.utcOffsetMinutes,
        },
        window: oeeJson(computeOee(samples, from, to, options)),
        shift: oeeJson(computeOee(samples, shift.from, Math.min(shift.to, to), options)),
        hours: oeeByHour(samples, from, to, options).map(oeeJson),
      };
    },
  );
}
