// The SQLite writer thread (see sqlite-worker-store.ts): owns the one connection that writes and
// runs every write the main thread sends, one at a time in arrival order, so better-sqlite3's
// synchronous commits never hold up the main thread's event loop (HTTP, MQTT).
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteStore } from './sqlite-store.js';
import type { StoreSettings } from './store-settings.js';
import type { WriterReply, WriterRequest } from './sqlite-writer-protocol.js';

const port = parentPort;
if (port === null) throw new Error('sqlite-writer-thread must run as a worker thread');
const { file, settings } = workerData as { file: string; settings: StoreSettings };

try {
  const store = await openSqliteStore(file, settings);
  port.on('message', (request: WriterRequest) => {
    // Each store method runs its transaction synchronously before its first await, so writes
    // commit in the order they arrived even though replies are posted asynchronously.
    const run = async (): Promise<unknown> => {
      switch (request.method) {
        case 'writeScans':
          return store.writeScans(...request.args);
        case 'setConnection':
          return store.setConnection(...request.args);
        case 'appendAlarmEvents':
          return store.appendAlarmEvents(...request.args);
        case 'enforceRetention':
          return store.enforceRetention(...request.args);
        case 'checkWritable':
          return store.checkWritable();
        case 'close':
          return store.close();
      }
    };
    run().then(
      (value) => port.postMessage({ id: request.id, value } satisfies WriterReply),
      (error: unknown) => port.postMessage({ id: request.id, error } satisfies WriterReply),
    );
  });
  port.postMessage({ id: 0, value: 'ready' } satisfies WriterReply);
} catch (error) {
  port.postMessage({ id: 0, error } satisfies WriterReply);
}
