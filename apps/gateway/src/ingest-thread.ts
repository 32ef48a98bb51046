// The gateway's ingest thread (started by start-ingest-thread.ts): owns the MQTT ingest
// connections, decodes and validates every message, commits through its own store and sends the
// PUBACKs — so none of the per-message work shares an event loop with the HTTP requests. Only the
// committed scans' alarm tags go to the HTTP thread (the alarm server lives there, beside the
// routes that acknowledge alarms), and a scan is acknowledged once they are journalled, as before.
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger, LogFields } from '@ot-mqtt/app-kit';
import { openHistorian } from '@ot-mqtt/historian';
import type { DataPayload } from '@ot-mqtt/tag-model';
import { CommitQueue, type CommitObserver } from './commit-queue.js';
import { startIngest, type IngestObserver } from './ingest.js';
import type {
  CommittedAlarms,
  FromIngestThread,
  IngestThreadData,
  MetricsBatch,
  ToIngestThread,
} from './ingest-thread-protocol.js';
import { instrumentableMqttJs } from './instrumentable-mqtt-js.js';
import { storeOptions } from './store-options.js';

const port = parentPort;
if (port === null) throw new Error('ingest-thread must run as a worker thread');
const { config, metrics } = workerData as IngestThreadData;
const post = (message: FromIngestThread) => port.postMessage(message);

const logAt =
  (level: 'error' | 'warn' | 'info' | 'debug') => (message: string, fields?: LogFields) =>
    post({ type: 'log', level, message, fields });
const log: Logger = {
  error: logAt('error'),
  warn: logAt('warn'),
  info: logAt('info'),
  debug: logAt('debug'),
};

// Alarm tags of the scans committed in one turn of this loop, sent as one message; each scan's
// acknowledgement waits for the HTTP thread's answer (its transitions journalled).
const alarmReplies = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
let nextAlarmBatch = 1;
let alarmBatch: { scans: CommittedAlarms[]; done: Promise<void> } | undefined;
const onCommitted = (scan: DataPayload, topic: string): Promise<void> => {
  if (alarmBatch === undefined) {
    const id = nextAlarmBatch++;
    const scans: CommittedAlarms[] = [];
    const done = new Promise<void>((resolve, reject) => alarmReplies.set(id, { resolve, reject }));
    alarmBatch = { scans, done };
    setImmediate(() => {
      alarmBatch = undefined;
      post({ type: 'alarms', id, scans });
    });
  }
  alarmBatch.scans.push({
    machineId: scan.machineId,
    timestamp: scan.timestamp,
    alarms: scan.tags.alarms,
    topic,
  });
  return alarmBatch.done;
};

// With METRICS_PORT: what the HTTP thread's `/metrics` needs, gathered and posted every 100 ms.
const METRICS_POST_MS = 100;
const emptyBatch = (): MetricsBatch => ({
  scans: [],
  connections: [],
  invalid: 0,
  committed: [],
  failed: 0,
  clientEvents: [],
});
let figures = emptyBatch();
const ingestObserver: IngestObserver | undefined = metrics
  ? {
      scan: (s) => figures.scans.push([s.machineId, s.sequence, s.timestamp, s.receivedAt]),
      connection: (c) => figures.connections.push(c),
      invalid: () => void figures.invalid++,
    }
  : undefined;
const commitObserver: CommitObserver | undefined = metrics
  ? {
      committed: (seconds, r) => figures.committed.push([seconds, r.stored, r.samples]),
      failed: () => void figures.failed++,
    }
  : undefined;

try {
  const store = await openHistorian(config.db, storeOptions(config));
  const queue = new CommitQueue(store, log, commitObserver);
  const ingest = startIngest(config, queue, log, onCommitted, ingestObserver);
  const clients = ingest.clients.map(instrumentableMqttJs);
  clients.forEach((c, n) => c.events$.subscribe((e) => figures.clientEvents.push({ n, ...e })));

  const postStatus = () =>
    post({
      type: 'status',
      at: Date.now(),
      queue: queue.status(),
      ingest: ingest.status(),
      clients: clients.map((c) => ({
        status: c.state.status,
        received: c.stats().received,
        reconnects: c.stats().reconnects,
      })),
    });
  // The HTTP thread answers /readyz and the bench's and tests' polls from the newest of these.
  const statusTimer = setInterval(postStatus, 50);
  const metricsTimer = setInterval(() => {
    const b = figures;
    if (b.scans.length + b.connections.length + b.committed.length + b.clientEvents.length === 0)
      if (b.invalid + b.failed === 0) return;
    figures = emptyBatch();
    post({ type: 'metrics', batch: b });
  }, METRICS_POST_MS);
  if (!metrics) clearInterval(metricsTimer);

  port.on('message', (message: ToIngestThread) => {
    if (message.type === 'alarms-done') {
      const reply = alarmReplies.get(message.id);
      alarmReplies.delete(message.id);
      if (message.ok) reply?.resolve();
      else reply?.reject(new Error('alarm server stopped before journalling'));
      return;
    }
    // close: nothing held is acknowledged (the broker redelivers it to the next session).
    void (async () => {
      clearInterval(statusTimer);
      clearInterval(metricsTimer);
      await ingest.close();
      await queue.close();
      await store.close();
      postStatus();
      post({ type: 'closed' });
    })();
  });
  postStatus();
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'start-failed', error: error instanceof Error ? error.message : String(error) });
}
