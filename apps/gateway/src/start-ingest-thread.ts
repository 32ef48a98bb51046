import { Worker } from 'node:worker_threads';
import type { Logger } from '@ot-mqtt/app-kit';
import type { InstrumentableClient } from '@ot-mqtt/metrics';
import type { CommitObserver, CommitStatus } from './commit-queue.js';
import type { GatewayConfig } from './config.js';
import type { IngestObserver, IngestStatus } from './ingest.js';
import type {
  ClientFigures,
  CommittedAlarms,
  FromIngestThread,
  IngestThreadData,
  ToIngestThread,
} from './ingest-thread-protocol.js';

/** The ingest as the HTTP thread sees it: the newest figures the ingest thread posted. */
export interface IngestThread {
  /** Connections and message counters (as {@link Ingest.status}). */
  status(): IngestStatus;
  /** The commit queue's counters (as {@link CommitQueue.status}). */
  queueStatus(): CommitStatus;
  /** The ingest connections, for `instrumentMqttClients`. */
  readonly clients: readonly InstrumentableClient[];
  /** Settles with the reason if the ingest thread dies while the gateway runs. */
  readonly died: Promise<Error>;
  /** Disconnects without acknowledging anything still held, closes the thread's store, ends it. */
  close(): Promise<void>;
}

/** What the HTTP thread does for the ingest thread. */
export interface IngestThreadHooks {
  /** Committed scans' alarm tags, in commit order: resolves true once journalled. */
  readonly onCommitted: (scans: readonly CommittedAlarms[]) => Promise<boolean>;
  /** With METRICS_PORT: the figures the ingest thread posts go here. */
  readonly metrics?: { readonly ingest: IngestObserver; readonly commits: CommitObserver };
}

/**
 * Starts the worker. Built output runs `ingest-thread.js` beside this file; from source (specs and
 * the bench under vitest/tsx) the `.ts` entry is loaded through tsx's API, as the historian's
 * writer thread is (a worker cannot take a `.ts` entry on Node 20; tsx resolves from the working
 * directory, so source runs start inside the repository).
 */
function startWorker(workerData: IngestThreadData): Worker {
  const here = import.meta.url;
  // tsx's `tsImport` loads modules with a `?tsx-namespace=…` query: the path decides, not the URL.
  if (new URL(here).pathname.endsWith('.ts')) {
    const entry = new URL('./ingest-thread.ts', here).href;
    const code = `import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(here)}))`;
    return new Worker(code, { eval: true, workerData });
  }
  return new Worker(new URL('./ingest-thread.js', here), { workerData });
}

const idleQueue: CommitStatus = {
  held: 0,
  oldestHeldMs: 0,
  failing: false,
  lastError: undefined,
  stored: 0,
  duplicates: 0,
  batches: 0,
  largestBatch: 0,
  lastCommitLagMs: 0,
  longestCommitMs: 0,
};

/**
 * Runs the MQTT ingest (connections, decoding and validation, commit queue, its own store handle,
 * PUBACKs) on a worker thread, so that the HTTP thread's event loop only answers requests: at the
 * fleet's 2,500 scans/s, parsing and checking every message on the HTTP thread kept its loop
 * stalled for 12 ms at p99 (docs/historian.md, "Serving while storing"). The no-loss contract is
 * the ingest's own and unchanged: a scan is acknowledged after its commit and after the alarm
 * server (here, on the HTTP thread) journalled its transitions.
 *
 * @throws Error when the ingest thread cannot open the store or start.
 */
export async function startIngestThread(
  config: GatewayConfig,
  log: Logger,
  hooks: IngestThreadHooks,
): Promise<IngestThread> {
  const worker = startWorker({ config, metrics: hooks.metrics !== undefined });
  const send = (message: ToIngestThread) => worker.postMessage(message);
  let latest: Extract<FromIngestThread, { type: 'status' }> | undefined;
  let closing = false;
  let closed: (() => void) | undefined;
  let died!: (error: Error) => void;
  const diedPromise = new Promise<Error>((resolve) => (died = resolve));
  const clientFigures = (n: number): ClientFigures =>
    latest?.clients[n] ?? { status: 'connecting', received: 0, reconnects: 0 };
  const clientListeners = Array.from(
    { length: config.ingestConnections },
    () => new Set<(event: { readonly type: string; readonly reason?: string }) => void>(),
  );

  const started = new Promise<void>((ready, failed) => {
    worker.on('message', (message: FromIngestThread) => {
      switch (message.type) {
        case 'ready':
          return ready();
        case 'start-failed':
          return failed(new Error(message.error));
        case 'status':
          latest = message;
          return;
        case 'log':
          return log[message.level](message.message, message.fields);
        case 'alarms':
          return void hooks.onCommitted(message.scans).then(
            (ok) => send({ type: 'alarms-done', id: message.id, ok }),
            () => send({ type: 'alarms-done', id: message.id, ok: false }),
          );
        case 'metrics': {
          const m = hooks.metrics;
          if (m === undefined) return;
          const b = message.batch;
          for (const [machineId, sequence, timestamp, receivedAt] of b.scans)
            m.ingest.scan({ machineId, sequence, timestamp, receivedAt });
          for (const c of b.connections) m.ingest.connection(c);
          for (let i = 0; i < b.invalid; i++) m.ingest.invalid();
          for (const [seconds, stored, samples] of b.committed)
            m.commits.committed(seconds, { stored, samples, duplicates: 0 });
          for (let i = 0; i < b.failed; i++) m.commits.failed();
          for (const { n, ...event } of b.clientEvents)
            for (const listener of clientListeners[n] ?? []) listener(event);
          return;
        }
        case 'closed':
          return closed?.();
      }
    });
    worker.once('error', (error) => {
      failed(error);
      if (!closing) died(error);
    });
    worker.once('exit', (code) => {
      const error = new Error(`the ingest thread exited (${code})`);
      failed(error);
      if (!closing) died(error);
      closed?.();
    });
  });
  try {
    await started;
  } catch (error) {
    closing = true;
    await worker.terminate();
    throw error;
  }

  return {
    status: () =>
      latest?.ingest ?? {
        connected: 0,
        connections: config.ingestConnections,
        rejected: 0,
        redelivered: 0,
        unacknowledged: 0,
      },
    queueStatus() {
      const q = latest?.queue ?? idleQueue;
      // The figure was taken up to 50 ms ago: what is still held has aged since.
      return q.held === 0 ? q : { ...q, oldestHeldMs: q.oldestHeldMs + Date.now() - latest!.at };
    },
    clients: clientListeners.map((listeners, n) => ({
      state: {
        get status() {
          return clientFigures(n).status;
        },
      },
      events$: {
        subscribe(next) {
          listeners.add(next);
          return { unsubscribe: () => listeners.delete(next) };
        },
      },
      stats: () => ({
        sent: 0,
        received: clientFigures(n).received,
        acknowledged: 0,
        reconnects: clientFigures(n).reconnects,
        outboxDepth: 0,
        outboxBytes: 0,
        inFlight: 0,
      }),
    })),
    died: diedPromise,
    async close() {
      if (closing) return;
      closing = true;
      await new Promise<void>((done) => {
        closed = done;
        send({ type: 'close' });
      });
      await worker.terminate();
    },
  };
}
