import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FrameScheduler } from './frame-scheduler.js';

describe('FrameScheduler', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  /** Frames every 16 ms, on the fake clock. */
  const frames = (callback: () => void) => void setTimeout(callback, 16);

  it('turns a burst of requests into one run at the next frame', () => {
    const work = vi.fn();
    const scheduler = new FrameScheduler(work, { requestFrame: frames, now: () => Date.now() });
    for (let i = 0; i < 500; i++) scheduler.request();
    vi.advanceTimersByTime(16);
    expect(work).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(2_000);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('runs at most once per minIntervalMs while requests keep coming', () => {
    const work = vi.fn();
    const scheduler = new FrameScheduler(work, {
      minIntervalMs: 200,
      requestFrame: frames,
      now: () => Date.now(),
    });
    // 500 messages per second for one second, each asking for a run.
    for (let t = 0; t < 1_000; t += 2) {
      scheduler.request();
      vi.advanceTimersByTime(2);
    }
    vi.advanceTimersByTime(300);
    expect(work.mock.calls.length).toBeGreaterThanOrEqual(5);
    expect(work.mock.calls.length).toBeLessThanOrEqual(6);
  });

  it('runs without frames (a hidden tab) within a second', () => {
    const work = vi.fn();
    const scheduler = new FrameScheduler(work, { requestFrame: () => undefined });
    scheduler.request();
    vi.advanceTimersByTime(1_000);
    expect(work).toHaveBeenCalledTimes(1);
  });
});
