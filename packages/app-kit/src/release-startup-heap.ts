import { setFlagsFromString } from 'node:v8';
import { userChoseSemiSpace } from './user-chose-semi-space.js';

/** How long start-up may take on a loaded machine before the young generation may grow again. */
const STARTUP_MS = 5000;

/**
 * Lets V8's young generation grow again (its default factor) once start-up is surely over; the
 * other half of `import '@ot-mqtt/app-kit/startup-heap'`, which an app imports first in its main
 * module. Does nothing when the user sized the young generation.
 *
 * @example
 * ```ts
 * // main.ts
 * import '@ot-mqtt/app-kit/startup-heap';
 * import { releaseStartupHeapLimitLater } from '@ot-mqtt/app-kit';
 *
 * // … load configuration, start the app …
 * releaseStartupHeapLimitLater();
 * ```
 */
export function releaseStartupHeapLimitLater(): void {
  if (userChoseSemiSpace()) return;
  setTimeout(() => setFlagsFromString('--semi-space-growth-factor=2'), STARTUP_MS).unref();
}
