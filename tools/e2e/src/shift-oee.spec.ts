import { describe, expect, it } from 'vitest';
import { createBottleFiller, loadScenario, shiftOee } from '@ot-mqtt/plc-sim';
import { computeOee } from '@ot-mqtt/scan-monitor';
import type { OeeSample } from '@ot-mqtt/scan-monitor';

// The simulator's own shift OEE (issue 17) against the OEE the gateway computes from scans
// (@ot-mqtt/scan-monitor, issue 12), over the same 8-hour shift sampled at the agent's 2 s interval.
// Pure (no broker): it lives here because only tools may depend on both libraries.
describe('shift OEE of the simulator and OEE of the scans agree', () => {
  it.each(['plausible', 'bad-shift', 'starved-line'])('%s', (scenario) => {
    const filler = createBottleFiller({ seed: 11, ...loadScenario(scenario).filler });
    const samples: OeeSample[] = [];
    const shiftMs = 8 * 3600_000;
    for (let at = 0; at <= shiftMs; at += 2000) {
      if (at > 0) filler.step(2000);
      const { status, counters } = filler.snapshot();
      samples.push({
        at,
        running: status.SystemRunning && !status.Fault,
        // computeOee takes BottlesFilled as every bottle and good = filled − rejected; the
        // simulator counts good bottles in BottlesFilled, so the scans' total is the sum.
        filled: counters.BottlesFilled + counters.BottlesRejected,
        rejected: counters.BottlesRejected,
      });
    }
    const fromScans = computeOee(samples, 0, shiftMs + 1, { idealRatePerMinute: 16 });
    const own = shiftOee(filler.shiftReport!, 16);
    expect(fromScans.availability! - own.availability).toBeCloseTo(0, 2);
    expect(fromScans.performance! - own.performance).toBeCloseTo(0, 2);
    expect(fromScans.quality! - own.quality).toBeCloseTo(0, 3);
    expect(fromScans.oee! - own.oee).toBeCloseTo(0, 2);
  });
});
