/** Options of a {@link FrameScheduler}. */
export interface FrameSchedulerOptions {
  /** Least time between two runs of the work, ms (default 0: every frame). */
  readonly minIntervalMs?: number;
  /** Frame source (default `requestAnimationFrame`; tests pass their own). */
  readonly requestFrame?: (callback: () => void) => void;
  /** Clock in ms (default `performance.now`). */
  readonly now?: () => number;
}

/**
 * Runs `work` at most once per animation frame, and at most once per `minIntervalMs`, however
 * often {@link FrameScheduler.request} is called: hundreds of messages per second become a few DOM
 * updates per second. A timer backs the frame request up, because hidden tabs get no frames and
 * the store must not hold changes forever.
 */
export class FrameScheduler {
  private pending = false;
  /** Which request the timers belong to: a backup timer of an earlier request must not run a later one early. */
  private generation = 0;
  private last = Number.NEGATIVE_INFINITY;
  private readonly minIntervalMs: number;
  private readonly requestFrame: (callback: () => void) => void;
  private readonly now: () => number;

  constructor(
    private readonly work: () => void,
    options: FrameSchedulerOptions = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 0;
    this.requestFrame = options.requestFrame ?? ((callback) => requestAnimationFrame(callback));
    this.now = options.now ?? (() => performance.now());
  }

  request(): void {
    if (this.pending) return;
    this.pending = true;
    const generation = ++this.generation;
    const run = () => {
      if (!this.pending || generation !== this.generation) return;
      this.pending = false;
      this.last = this.now();
      this.work();
    };
    const wait = Math.max(0, this.last + this.minIntervalMs - this.now());
    if (wait > 0) setTimeout(() => this.requestFrame(run), wait);
    else this.requestFrame(run);
    setTimeout(run, wait + 1_000);
  }
}
