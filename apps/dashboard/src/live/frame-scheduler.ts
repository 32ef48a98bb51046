/**
 * Runs `work` at most once per animation frame however often {@link FrameScheduler.request} is
 * called: hundreds of messages per second become one DOM update per frame. A timer backs the
 * frame request up, because hidden tabs get no frames and the store must not hold changes forever.
 */
export class FrameScheduler {
  private pending = false;

  constructor(private readonly work: () => void) {}

  request(): void {
    if (this.pending) return;
    this.pending = true;
    const run = () => {
      if (!this.pending) return;
      this.pending = false;
      this.work();
    };
    requestAnimationFrame(run);
    setTimeout(run, 1_000);
  }
}
