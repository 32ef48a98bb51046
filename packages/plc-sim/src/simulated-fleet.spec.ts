import { describe, expect, it } from 'vitest';
import { createBottleFiller } from './bottle-filler.js';
import type { WallClockStep } from './fleet-clock.js';
import {
  startSimulatedFleet,
  type FleetScan,
  type SimulatedFleetOptions,
} from './simulated-fleet.js';
import { virtualFleetClock } from './virtual-fleet-clock.test-helper.js';

const DAY = 86_400_000;
const fillers = () => ['a', 'b'].map((machineId) => createBottleFiller({ machineId, seed: 7 }));

/**
 * Fillers `a` and `b` scanned every second on a virtual clock the test advances, unless `options`
 * say otherwise.
 */
function startOnVirtualClock(options: Partial<SimulatedFleetOptions> = {}) {
  const v = virtualFleetClock();
  const all = fillers();
  const fleet = startSimulatedFleet({
    fillers: all,
    intervalMs: 1000,
    clock: v.clock,
    onScan: () => {},
    ...options,
  });
  return { v, fleet, fillers: all };
}

describe('simulated fleet', () => {
  it('steps each filler by monotonic time × timeScale, whatever the wall clock does', () => {
    const scans: FleetScan[] = [];
    const steps: WallClockStep[] = [];
    const { v, fleet } = startOnVirtualClock({
      timeScale: 10,
      onScan: (scan) => scans.push(scan),
      onWallClockStep: (step) => steps.push(step),
    });
    v.advance(4999);
    v.stepWall(-30 * DAY);
    v.advance(5000);
    v.stepWall(60 * DAY);
    v.advance(5000);
    fleet.stop();
    expect(steps.map((s) => s.direction)).toEqual(['back', 'forward']);
    expect(scans).toHaveLength(30);
    // Filler 0's last scan is 14 s (monotonic) after its first: 140 s simulated, as a reference
    // filler stepped once by 140 s shows (step() is split-invariant).
    const reference = createBottleFiller({ machineId: 'a', seed: 7 });
    reference.step(140_000);
    const last = scans.filter((s) => s.index === 0).at(-1)!;
    expect(last.tags).toEqual(reference.snapshot());
    expect(last.timestamp.getTime()).toBe(v.clock.wall() - 999);
  });

  it('catchUp steps one filler to now between scans, so a command applies at its arrival', () => {
    const { v, fleet, fillers: all } = startOnVirtualClock({ intervalMs: 2000 });
    v.advance(1);
    v.advance(1200);
    fleet.catchUp(0);
    const reference = createBottleFiller({ machineId: 'a', seed: 7 });
    reference.step(1201);
    expect(all[0]!.snapshot()).toEqual(reference.snapshot());
    fleet.stop();
  });

  it('stops a filler whose scan throws, and goes on with the others', () => {
    const stopped: number[] = [];
    const scanned: number[] = [];
    const { v, fleet } = startOnVirtualClock({
      onScan: ({ index }) => {
        if (index === 1) throw new Error('boom');
        scanned.push(index);
      },
      onFillerStopped: (index) => stopped.push(index),
    });
    v.advance(3999);
    fleet.stop();
    expect(stopped).toEqual([1]);
    expect(scanned).toEqual([0, 0, 0, 0]);
  });
});
