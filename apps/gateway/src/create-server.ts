import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { tagCatalog, type HistorianStore, type MachineRecord } from '@ot-mqtt/historian';
import type { z } from 'zod';
import {
  ALLOWED,
  DashboardConfigSchema,
  ErrorSchema,
  HealthSchema,
  HistoryQuerySchema,
  HistorySchema,
  LatestSchema,
  MachineParamsSchema,
  MachineSummarySchema,
  ReadySchema,
  ScansQuerySchema,
  ScansSchema,
} from './api-schemas.js';
import { registerAlarmRoutes, type AlarmRouteDeps } from './alarm-routes.js';
import { historyCsv } from './csv.js';
import type { Logger } from '@ot-mqtt/app-kit';
import { machineState } from './machine-state.js';

/** What the HTTP side needs from the rest of the gateway. */
export interface ServerDeps extends AlarmRouteDeps {
  /** The history. */
  readonly store: HistorianStore;
  /** Logger. */
  readonly log: Logger;
  /** Bearer token for /api/*, or undefined. */
  readonly token: string | undefined;
  /** Readiness of broker and database. */
  readonly ready: () => Promise<{
    ready: boolean;
    broker: { connected: number; connections: number };
    database: {
      engine: string;
      writable: boolean;
      error?: string;
      heldMessages: number;
      oldestHeldMs: number;
    };
  }>;
  /** TOPIC_ROOT (told to the dashboard page). */
  readonly topicRoot: string;
  /** DASHBOARD_MQTT_URL. */
  readonly dashboardMqttUrl: string | undefined;
  /** Folder of the dashboard's built files (default apps/dashboard/dist beside this app). */
  readonly dashboardDir: string | undefined;
  /**
   * Called after every response with the route's template (`/api/machines/:machineId/latest`,
   * `undefined` when no route matched) — never the raw URL, so ids in paths cannot multiply series.
   */
  readonly onResponse?: (
    method: string,
    route: string | undefined,
    status: number,
    seconds: number,
  ) => void;
}

const HOUR = 3_600_000;
const ALL_TAGS = tagCatalog().map((t) => t.name);
const err = (error: string, parameter?: string) =>
  parameter === undefined ? { error } : { error, parameter, allowed: ALLOWED[parameter] ?? '' };
const unknownMachine = (machineId: string) => ({
  error: `unknown machine ${machineId}`,
  parameter: 'machineId',
  allowed: 'a machine id listed by GET /api/machines',
});

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Resolves a half-open range from optional query times; `undefined` + reply sent when invalid. */
function rangeOf(
  q: { from?: number | undefined; to?: number | undefined },
  defaultSpan: number,
  reply: FastifyReply,
): { from: number; to: number } | undefined {
  const to = q.to ?? Date.now();
  const from = q.from ?? to - defaultSpan;
  if (from >= to) {
    void reply.code(400).send(err('to must be after from', 'to'));
    return undefined;
  }
  return { from, to };
}

function summary(m: MachineRecord, now: number) {
  const interval = m.publishIntervalMs ?? 2_000;
  const received = m.lastReceived ? Date.parse(m.lastReceived) : undefined;
  const recent = received !== undefined && now - received <= 3 * interval;
  return {
    machineId: m.machineId,
    online: m.connection === null ? recent : m.connection === 'online',
    stale: !recent,
    lastSeen: m.lastSeen,
    lastSequence: m.lastSequence,
    state: machineState(m.latest?.tags),
  };
}

/**
 * The gateway's HTTP side: Fastify 5 with the zod type provider. Chosen over Hono because its
 * schema-per-route model gives validation, response serialisation and OpenAPI from one zod
 * schema, and @fastify/static serves the dashboard; measured /latest p99 is in docs/benchmarks.md.
 */
export async function createServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, return503OnClosing: true });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((error, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0];
      const parameter = first?.instancePath.replace(/^\//u, '').split('/')[0] || 'query';
      return reply
        .code(400)
        .send(err(`invalid ${parameter}: ${first?.message ?? 'invalid'}`, parameter));
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) {
      deps.log.error('request failed', { url: request.url, error: (error as Error).message });
      return reply.code(status).send({ error: 'internal error (see the gateway log)' });
    }
    return reply.code(status).send({ error: (error as Error).message });
  });
  const { onResponse } = deps;
  if (onResponse !== undefined) {
    app.addHook('onResponse', async (request, reply) => {
      onResponse(
        request.method,
        request.routeOptions.url,
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
    });
  }
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );

  if (deps.token !== undefined) {
    const expected = digest(`Bearer ${deps.token}`);
    // The operator token (alarm acknowledgement) reads too.
    const operator = deps.operatorToken && digest(`Bearer ${deps.operatorToken}`);
    app.addHook('onRequest', async (request, reply) => {
      if (!request.url.startsWith('/api/')) return;
      const given = digest(request.headers.authorization ?? '');
      if (!timingSafeEqual(given, expected) && !(operator && timingSafeEqual(given, operator))) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({
          error: 'missing or wrong bearer token',
          parameter: 'Authorization',
          allowed: 'Bearer <GATEWAY_TOKEN>',
        });
      }
    });
  }

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'ot-mqtt gateway',
        description: 'History, scans, machines and alarms of the bottle-filler fleet.',
        version: '0.1.0',
      },
      components: deps.token
        ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } }
        : {},
      ...(deps.token ? { security: [{ bearer: [] }] } : {}),
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  const api = app.withTypeProvider<ZodTypeProvider>();
  const errors = { 400: ErrorSchema, 404: ErrorSchema };

  api.get('/healthz', { schema: { response: { 200: HealthSchema } } }, async () => ({
    status: 'ok' as const,
  }));
  api.get(
    '/readyz',
    { schema: { response: { 200: ReadySchema, 503: ReadySchema } } },
    async (_req, reply) => {
      const r = await deps.ready();
      return reply.code(r.ready ? 200 : 503).send(r);
    },
  );
  api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  api.get(
    '/dashboard-config.json',
    { schema: { hide: true, response: { 200: DashboardConfigSchema } } },
    // Never cached: a changed DASHBOARD_MQTT_URL must reach pages at their next load.
    async (_req, reply) =>
      reply.header('cache-control', 'no-store').send({
        topicRoot: deps.topicRoot,
        ...(deps.dashboardMqttUrl ? { mqttUrl: deps.dashboardMqttUrl } : {}),
      }),
  );

  api.get(
    '/api/machines',
    {
      schema: {
        description: 'Every machine the historian knows.',
        response: { 200: MachineSummarySchema.array() },
      },
    },
    async () => {
      const now = Date.now();
      return (await deps.store.listMachines()).map((m) => summary(m, now));
    },
  );

  api.get(
    '/api/machines/:machineId/latest',
    {
      schema: {
        description: 'The newest stored scan.',
        params: MachineParamsSchema,
        response: { 200: LatestSchema, ...errors },
      },
    },
    async (req, reply) => {
      const m = await deps.store.getMachine(req.params.machineId);
      if (!m?.latest) return reply.code(404).send(unknownMachine(req.params.machineId));
      return m.latest;
    },
  );

  api.get(
    '/api/machines/:machineId/history',
    {
      schema: {
        description:
          'Trend of tags in [from, to) (default: the last hour), downsampled to at most maxPoints buckets (min/max/avg/last) for numbers and change points for booleans.',
        params: MachineParamsSchema,
        querystring: HistoryQuerySchema,
        response: { 200: HistorySchema, ...errors },
      },
    },
    async (req, reply) => {
      const range = rangeOf(req.query, HOUR, reply);
      if (!range) return reply;
      const result = await deps.store.history({
        machineId: req.params.machineId,
        tags: req.query.tags ?? ALL_TAGS,
        maxPoints: req.query.maxPoints ?? 1000,
        ...range,
      });
      if (!result) return reply.code(404).send(unknownMachine(req.params.machineId));
      if (req.query.format === 'csv') {
        // CSV bypasses the JSON serializer (the zod schema describes the JSON form).
        return (reply as FastifyReply)
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="${req.params.machineId}-history.csv"`,
          )
          .serializer((s: unknown) => s as string)
          .send(historyCsv(result));
      }
      return result as z.output<typeof HistorySchema>;
    },
  );

  api.get(
    '/api/machines/:machineId/scans',
    {
      schema: {
        description:
          'Stored scans (time and sequence) in [from, to) (default: the last hour), in order: gaps are missing sequence numbers.',
        params: MachineParamsSchema,
        querystring: ScansQuerySchema,
        response: { 200: ScansSchema, ...errors },
      },
    },
    async (req, reply) => {
      const range = rangeOf(req.query, HOUR, reply);
      if (!range) return reply;
      const scans = await deps.store.scans(req.params.machineId, range, req.query.limit ?? 1000);
      if (!scans) return reply.code(404).send(unknownMachine(req.params.machineId));
      return scans;
    },
  );

  await registerAlarmRoutes(app, deps);

  const dashboardDir =
    deps.dashboardDir ?? fileURLToPath(new URL('../../dashboard/dist/', import.meta.url));
  if (existsSync(dashboardDir)) {
    await app.register(fastifyStatic, { root: dashboardDir, prefix: '/', wildcard: false });
  } else {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><meta charset="utf-8"><title>ot-mqtt gateway</title><h1>ot-mqtt gateway</h1>' +
            '<p>The dashboard is not built (<code>npx nx build dashboard</code>). API: <a href="/openapi.json">/openapi.json</a>, ' +
            '<a href="/api/machines">/api/machines</a>.</p>',
        ),
    );
  }
  return app;
}
