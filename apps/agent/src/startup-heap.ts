// Imported first by main.ts, so it runs before any other module is loaded.
//
// Loading and compiling the app (zod, RxJS, mqtt.js) allocates in bursts whose survivors make V8
// double the young generation up to 2 × 8 MB, and an idle process never gives that back: ~5 MB of
// the agent's resident memory at the seed's defaults (issue 6, benchmark 5). Growth is held off
// while the app starts and allowed again afterwards, so a fleet or a burst still gets a young
// generation sized for its allocation rate. V8 reads this flag each time it considers growing.
import { setFlagsFromString } from 'node:v8';

const userChoseSize = /semi[-_]space/.test(
  `${process.execArgv.join(' ')} ${process.env['NODE_OPTIONS'] ?? ''}`,
);
if (!userChoseSize) setFlagsFromString('--semi-space-growth-factor=1');

/** How long start-up may take on a loaded machine before the young generation may grow again. */
const STARTUP_MS = 5000;

/** Lets the young generation grow again (V8's default factor) once start-up is surely over. */
export function releaseStartupHeapLimitLater(): void {
  if (userChoseSize) return;
  setTimeout(() => setFlagsFromString('--semi-space-growth-factor=2'), STARTUP_MS).unref();
}
