import { constants, PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { userChoseSemiSpace } from './user-chose-semi-space.js';

/** How long start-up may take on a loaded machine before the young generation may grow again. */
const STARTUP_MS = 5000;

/**
 * Young-generation collections after start-up that mark the app as busy. A one-filler agent or an
 * idle viewer does 0–2 in the first five seconds after start; a 5,000-filler fleet does ~150 per
 * second with the young generation held at its start-up size, and fell seconds behind its schedule
 * until the hold ended (issue 10: the fleet bench's agent at 5,000 fillers, p50 1.6 s behind).
 */
const BUSY_SCAVENGES = 20;

/**
 * Lets V8's young generation grow again (its default factor) once start-up is surely over — after
 * five seconds, or at once when the running app allocates like a fleet or a burst (twenty
 * young-generation collections before then). The other half of
 * `import '@ot-mqtt/app-kit/startup-heap'`, which an app imports first in its main module. Does
 * nothing when the user sized the young generation.
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
  let scavenges = 0;
  const release = () => {
    clearTimeout(timer);
    observer.disconnect();
    setFlagsFromString('--semi-space-growth-factor=2');
  };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // A gc entry's detail (Node ≥ 16) says which collection ran; the typings do not carry it.
      const { detail } = entry as { detail?: { kind?: number } };
      if (detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges++;
    }
    if (scavenges >= BUSY_SCAVENGES) release();
  });
  observer.observe({ entryTypes: ['gc'] });
  const timer = setTimeout(release, STARTUP_MS).unref();
}
