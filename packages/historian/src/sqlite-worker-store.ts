import { Worker } from 'node:worker_threads';
import type { HistorianStore } from './historian-store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { StoreSettings } from './store-settings.js';
import type { WriterReply, WriterRequest } from './sqlite-writer-protocol.js';

type Pending = { resolve: (value: unknown) => void; reject: (error: unknown) => void };
type Call = WriterRequest extends infer R
  ? R extends { method: infer M; args: infer A }
    ? { method: M; args: A }
    : never
  : never;

/**
 * Starts the writer thread. Built output runs `sqlite-writer-thread.js` beside this file; from
 * source (tests, benches under tsx/vitest) the `.ts` file is loaded through tsx's API, since a
 * worker cannot take a `.ts` entry on Node 20. An eval'd worker resolves `tsx` from the working
 * directory, so source runs start inside the repository (as vitest and the benches do); a
 * `createRequire` path from here gives tsx's CommonJS API, whose `tsImport` fails under vitest.
 */
function startWriter(file: string, settings: StoreSettings): Worker {
  const here = import.meta.url;
  const workerData = { file, settings };
  // tsx's `tsImport` loads modules with a `?tsx-namespace=…` query: the path decides, not the URL.
  if (new URL(here).pathname.endsWith('.ts')) {
    const entry = new URL('./sqlite-writer-thread.ts', here).href;
    const code = `import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(here)}))`;
    return new Worker(code, { eval: true, workerData });
  }
  return new Worker(new URL('./sqlite-writer-thread.js', here), { workerData });
}

/**
 * An SQLite historian whose writes run on a worker thread with a connection of their own, while
 * reads stay on the caller's thread with another connection. better-sqlite3 is synchronous: on
 * the caller's thread each commit (≈0.15 ms per scan) stops its event loop, so a gateway answering
 * HTTP while it ingests 2,500 scans/s would spend a third of its loop committing. In WAL mode
 * readers never wait for the writer, and a read started after a write resolved sees that write.
 * Writes keep their order (one thread, one connection, arrival order); a write resolves only
 * after its COMMIT, as on the caller's thread. If the thread dies, the writes pending on it
 * reject (the gateway holds their acknowledgements back and retries; one that had committed is
 * then recognised as a redelivery) and the next write starts a new thread.
 */
export async function openSqliteWorkerStore(
  path: string,
  settings: StoreSettings,
): Promise<HistorianStore> {
  // Opened first: migrations and the tag catalogue are applied once, here, before the thread opens.
  const reader = await openSqliteStore(path, settings);
  const file = reader.location;
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let closed = false;

  const spawn = async (): Promise<Worker> => {
    const worker = startWriter(file, settings);
    const fail = (error: unknown) => {
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    };
    await new Promise<void>((ready, failed) => {
      const onOpen = (reply: WriterReply) => {
        if (reply.id !== 0) return;
        worker.off('message', onOpen);
        if ('error' in reply) failed(reply.error);
        else ready();
      };
      worker.on('message', onOpen);
      worker.once('error', failed);
      worker.once('exit', (code) => failed(new Error(`SQLite writer thread exited (${code})`)));
    }).catch(async (error: unknown) => {
      await worker.terminate();
      throw error;
    });
    worker.on('message', (reply: WriterReply) => {
      const p = pending.get(reply.id);
      if (p === undefined) return;
      pending.delete(reply.id);
      if (pending.size === 0) worker.unref();
      if ('error' in reply) p.reject(reply.error);
      else p.resolve(reply.value);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (live === worker) {
        live = undefined;
        current = undefined;
      }
      fail(
        new Error(
          `SQLite writer thread exited (${code}) before confirming the write (it may have committed: write it again, a stored scan is recognised)`,
        ),
      );
    });
    // Only a write in flight keeps the process alive (a caller awaiting it must see it settle).
    worker.unref();
    live = worker;
    return worker;
  };

  let live: Worker | undefined;
  let current: Promise<Worker> | undefined = spawn();
  try {
    await current;
  } catch (error) {
    await reader.close();
    throw error;
  }

  const call = async (request: Call): Promise<unknown> => {
    if (closed) throw new Error('the historian is closed');
    // A thread that died is replaced by the next write (the failed ones were rejected, not lost:
    // their caller still holds them).
    current ??= spawn().catch((error: unknown) => {
      current = undefined;
      throw error;
    });
    const worker = await current;
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, ...request } as WriterRequest);
    });
  };

  return {
    ...reader,
    writeScans: async (...args) =>
      (await call({ method: 'writeScans', args })) as Awaited<
        ReturnType<HistorianStore['writeScans']>
      >,
    setConnection: async (...args) => {
      await call({ method: 'setConnection', args });
    },
    appendAlarmEvents: async (...args) => {
      await call({ method: 'appendAlarmEvents', args });
    },
    enforceRetention: async (...args) =>
      (await call({ method: 'enforceRetention', args })) as Awaited<
        ReturnType<HistorianStore['enforceRetention']>
      >,
    checkWritable: async () => {
      await call({ method: 'checkWritable', args: [] });
    },
    async close() {
      if (closed) return;
      const worker = current;
      current = undefined;
      closed = true;
      if (worker !== undefined) {
        const w = await worker.catch(() => undefined);
        if (w !== undefined) {
          // Lets the write in progress commit, then closes the thread's connection.
          const id = nextId++;
          await new Promise<void>((done) => {
            pending.set(id, { resolve: () => done(), reject: () => done() });
            w.ref();
            w.postMessage({ id, method: 'close', args: [] } satisfies WriterRequest);
          });
          await w.terminate();
        }
      }
      await reader.close();
    },
  };
}
