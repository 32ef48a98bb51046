import { describe, expect, it } from 'vitest';
import { BottleFillerTagsSchema, encodeScan, parsePayload } from '@ot-mqtt/tag-model';
import type { BottleFillerTags } from '@ot-mqtt/tag-model';
import { createBottleFiller, SCAN_MS } from './bottle-filler.js';
import type { BottleFiller, BottleFillerOptions } from './bottle-filler.js';
import type { Fault } from './fault.js';

/** Steps scan by scan until `predicate` holds; fails with `what` after `maxMs` of simulated time. */
function runUntil(
  sim: BottleFiller,
  predicate: (tags: BottleFillerTags) => boolean,
  maxMs: number,
  what: string,
): BottleFillerTags {
  for (let t = 0; t <= maxMs; t += SCAN_MS) {
    const tags = sim.snapshot();
    if (predicate(tags)) return tags;
    sim.step(SCAN_MS);
  }
  throw new Error(`not within ${maxMs} ms of simulated time: ${what}`);
}

/** A filler (seed `seed`) that ran normally for `afterMs`, then got `fault`. */
function withFault(
  fault: Fault,
  seed: number,
  afterMs: number,
  options: BottleFillerOptions = {},
): BottleFiller {
  const sim = createBottleFiller({ seed, ...options });
  if (afterMs > 0) sim.step(afterMs);
  sim.inject(fault);
  return sim;
}

describe('createBottleFiller', () => {
  it('produces bottles at a plausible rate with every snapshot valid against the tag model', () => {
    const sim = createBottleFiller({ seed: 7, capMissProbability: 0 });
    for (let minute = 0; minute < 5; minute++) {
      for (let i = 0; i < 600; i++) {
        sim.step(SCAN_MS);
        if (i % 10 === 0)
          expect(BottleFillerTagsSchema.safeParse(sim.snapshot()).success).toBe(true);
      }
    }
    const { counters, status, outputs, alarms } = sim.snapshot();
    expect(status.SystemRunning).toBe(true);
    expect(outputs.IndicatorGreen).toBe(true);
    expect(counters.BottlesRejected).toBe(0);
    // ~4 s per bottle (1.3 s index + 2.4 s fill): 12–18 per minute.
    expect(counters.BottlesFilled).toBeGreaterThan(5 * 12);
    expect(counters.BottlesFilled).toBeLessThan(5 * 18);
    expect(counters.BottlesPerMinute).toBeGreaterThanOrEqual(12);
    expect(counters.BottlesPerMinute).toBeLessThanOrEqual(18);
    expect(Object.values(alarms).some(Boolean)).toBe(false);
  });

  it('publishes valid payloads: every snapshot of a faulty, busy line encodes and parses back unchanged', () => {
    const sim = createBottleFiller({ seed: 8, machineId: 'filler-07' });
    const faults = ['jamValve', 'emptyTank', 'missCap', 'starveValve', 'noBottles'] as const;
    for (let i = 0; i < 300; i++) {
      if (i % 60 === 10) sim.inject(faults[(i / 60) | 0]!);
      if (i % 60 === 40) {
        sim.clearFaults();
        sim.reset();
        sim.start();
      }
      sim.step(2000);
      const tags = sim.snapshot();
      const messages = encodeScan(tags, {
        machineId: sim.machineId,
        sequence: i,
        timestamp: new Date(sim.timeMs),
      });
      const data = parsePayload(messages[0]!.topic, messages[0]!.payload);
      expect(data.ok, JSON.stringify(data)).toBe(true);
      if (data.ok && 'tags' in data.value) expect(data.value.tags).toEqual(tags);
      else expect.unreachable('the data topic carries the tags');
      for (const m of messages.slice(1)) expect(parsePayload(m.topic, m.payload).ok).toBe(true);
    }
  });

  it('fills a bottle at the filler with the conveyor stopped, to the target, then indexes on', () => {
    const sim = createBottleFiller({ seed: 3 });
    const filling = runUntil(sim, (t) => t.outputs.FillValve, 30_000, 'valve opens');
    expect(filling.inputs.BottleAtFill).toBe(true);
    expect(filling.outputs.ConveyorMotor).toBe(false);
    expect(filling.analog.ConveyorSpeed).toBe(0);
    expect(filling.status.Filling).toBe(true);
    expect(filling.analog.FillFlowRate).toBeGreaterThan(10);
    const levels: number[] = [];
    const closed = runUntil(
      sim,
      (t) => (levels.push(t.analog.FillLevel), !t.outputs.FillValve),
      10_000,
      'valve closes',
    );
    expect(levels).toEqual([...levels].sort((a, b) => a - b));
    expect(closed.analog.FillLevel).toBeGreaterThanOrEqual(95);
    expect(closed.analog.FillLevel).toBeLessThan(96);
    const moving = runUntil(sim, (t) => t.outputs.ConveyorMotor, 10_000, 'conveyor restarts');
    expect(moving.inputs.BottleAtFill).toBe(false);
    const atSpeed = runUntil(sim, (t) => t.analog.ConveyorSpeed > 100, 2_000, 'conveyor ramps');
    expect(atSpeed.analog.ConveyorSpeed).toBeLessThanOrEqual(130);
  });

  it('caps the bottle at the capping station and counts it as filled when it leaves', () => {
    const sim = createBottleFiller({ seed: 5, capMissProbability: 0 });
    const capping = runUntil(sim, (t) => t.outputs.CappingMotor, 30_000, 'capping motor runs');
    expect(capping.inputs.BottleAtCap).toBe(true);
    expect(capping.inputs.CapPresent).toBe(true);
    expect(capping.counters.BottlesFilled).toBe(0);
    const left = runUntil(sim, (t) => !t.inputs.BottleAtCap, 10_000, 'bottle leaves');
    expect(left.counters.BottlesFilled).toBe(1);
    expect(left.counters.BottlesPerMinute).toBe(1);
  });

  it('keeps ConveyorSpeed at 0 whenever the conveyor motor is off', () => {
    const sim = createBottleFiller({ seed: 11 });
    for (let i = 0; i < 3000; i++) {
      sim.step(SCAN_MS);
      const { outputs, analog } = sim.snapshot();
      if (!outputs.ConveyorMotor) expect(analog.ConveyorSpeed).toBe(0);
    }
  });

  it('gives the same state for step(2000) as for 20 × step(100) or any other split', () => {
    const whole = createBottleFiller({ seed: 9 });
    const parts = createBottleFiller({ seed: 9 });
    const odd = createBottleFiller({ seed: 9 });
    for (let i = 0; i < 30; i++) {
      whole.step(2000);
      for (let j = 0; j < 20; j++) parts.step(100);
      odd.step(1999);
      odd.step(0.5);
      odd.step(0.5);
      expect(parts.snapshot()).toEqual(whole.snapshot());
      expect(odd.snapshot()).toEqual(whole.snapshot());
    }
    expect(whole.scan).toBe(600);
    expect(whole.timeMs).toBe(60_000);
  });

  it('carries a remainder shorter than one scan to the next step', () => {
    const sim = createBottleFiller();
    sim.step(SCAN_MS - 1);
    expect(sim.scan).toBe(0);
    sim.step(1);
    expect(sim.scan).toBe(1);
  });

  it('rejects a negative, NaN or infinite step with a RangeError naming the value', () => {
    const sim = createBottleFiller();
    expect(() => sim.step(-1)).toThrow(/got -1/);
    expect(() => sim.step(Number.NaN)).toThrow(RangeError);
    expect(() => sim.step(Infinity)).toThrow(RangeError);
  });

  it('rejects invalid options with a message naming the option', () => {
    expect(() => createBottleFiller({ seed: Number.NaN })).toThrow(/seed/);
    expect(() => createBottleFiller({ capMissProbability: 2 })).toThrow(/capMissProbability/);
    expect(() => createBottleFiller({ maxConsecutiveRejects: 0 })).toThrow(/maxConsecutiveRejects/);
  });

  it('starts stopped with autoStart: false and runs after start()', () => {
    const sim = createBottleFiller({ autoStart: false });
    sim.step(10_000);
    let tags = sim.snapshot();
    expect(tags.status.SystemRunning).toBe(false);
    expect(tags.status.Ready).toBe(true);
    expect(tags.counters.BottlesFilled).toBe(0);
    expect(sim.phase).toBe('stopped');
    expect(sim.start()).toBe(true);
    sim.step(30_000);
    tags = sim.snapshot();
    expect(tags.status.SystemRunning).toBe(true);
    expect(tags.counters.BottlesFilled).toBeGreaterThan(0);
  });

  it('holds the sequence on stop() and resumes the same fill on start()', () => {
    const sim = createBottleFiller({ seed: 4 });
    runUntil(sim, (t) => t.analog.FillLevel > 40 && t.outputs.FillValve, 30_000, 'half full');
    sim.stop();
    const stopped = sim.snapshot();
    expect(stopped.outputs.FillValve).toBe(false);
    expect(stopped.status.SystemRunning).toBe(false);
    sim.step(10_000);
    const held = sim.snapshot();
    expect(held.analog.FillLevel).toBe(stopped.analog.FillLevel);
    expect(held.analog.FillFlowRate).toBe(0);
    expect(held.inputs.BottleAtFill).toBe(true);
    sim.start();
    const done = runUntil(sim, (t) => !t.outputs.FillValve && t.analog.FillLevel >= 95, 5_000, '');
    expect(done.counters.BottlesRejected).toBe(0);
  });

  it('in manual mode refuses start(), stops the sequence and shows yellow, not ready', () => {
    const sim = createBottleFiller({ seed: 6 });
    sim.step(20_000);
    sim.setAutoMode(false);
    expect(sim.start()).toBe(false);
    sim.step(5_000);
    const tags = sim.snapshot();
    expect(tags.status).toMatchObject({ AutoMode: false, SystemRunning: false, Ready: false });
    expect(tags.outputs).toMatchObject({
      IndicatorGreen: false,
      IndicatorYellow: true,
      IndicatorRed: false,
      ConveyorMotor: false,
      FillValve: false,
    });
    sim.setAutoMode(true);
    expect(sim.start()).toBe(true);
  });

  describe('fault injection', () => {
    it('jamValve: the bottle overfills, Overfill latches and the line faults red until repaired and reset', () => {
      const sim = withFault('jamValve', 21, 10_000, { capMissProbability: 0 });
      expect(sim.activeFaults).toEqual(['jamValve']);
      const tags = runUntil(sim, (t) => t.alarms.Overfill, 20_000, 'Overfill');
      expect(tags.status).toMatchObject({ Fault: true, SystemRunning: false, Ready: false });
      expect(tags.outputs).toMatchObject({ IndicatorRed: true, IndicatorGreen: false });
      expect(tags.outputs.FillValve).toBe(false);
      // The PLC has closed its output, yet product still flows: the signature of a stuck valve.
      expect(tags.analog.FillFlowRate).toBeGreaterThan(0);
      sim.reset();
      expect(sim.snapshot().alarms.Overfill).toBe(true);
      expect(sim.start()).toBe(false);
      sim.clearFaults('jamValve');
      sim.reset();
      const after = sim.snapshot();
      expect(after.alarms.Overfill).toBe(false);
      expect(after.status.Fault).toBe(false);
      expect(after.outputs.IndicatorRed).toBe(false);
      expect(sim.start()).toBe(true);
      const left = runUntil(sim, (t) => t.counters.BottlesRejected > 0, 20_000, 'reject');
      expect(left.counters.BottlesRejected).toBe(1);
    });

    it('starveValve: the fill times out below target, Underfill latches and the bottle is rejected', () => {
      const sim = withFault('starveValve', 22, 0, { capMissProbability: 0 });
      const tags = runUntil(sim, (t) => t.alarms.Underfill, 30_000, 'Underfill');
      expect(tags.analog.FillLevel).toBeLessThan(93);
      expect(tags.outputs.IndicatorYellow).toBe(true);
      runUntil(sim, (t) => t.counters.BottlesRejected === 1, 20_000, 'reject');
      // Three rejects in a row fault the line.
      const faulted = runUntil(sim, (t) => t.status.Fault, 60_000, 'consecutive-reject fault');
      expect(faulted.counters.BottlesRejected).toBe(3);
      sim.clearFaults();
      sim.reset();
      expect(sim.snapshot().alarms.Underfill).toBe(false);
      expect(sim.snapshot().status.Fault).toBe(false);
    });

    it('missCap: CapPresent stays false, CapMissing latches and uncapped bottles are rejected', () => {
      const sim = withFault('missCap', 23, 0, { capMissProbability: 0 });
      const tags = runUntil(sim, (t) => t.alarms.CapMissing, 30_000, 'CapMissing');
      expect(tags.inputs.BottleAtCap).toBe(true);
      expect(tags.inputs.CapPresent).toBe(false);
      expect(tags.outputs.CappingMotor).toBe(false);
      runUntil(sim, (t) => t.counters.BottlesRejected === 1, 20_000, 'reject');
      sim.clearFaults('missCap');
      sim.reset();
      expect(sim.snapshot().alarms.CapMissing).toBe(false);
    });

    it('noBottles: NoBottle after 5 s with nothing to fill, clears by itself when bottles return', () => {
      const sim = withFault('noBottles', 24, 10_000);
      const tags = runUntil(sim, (t) => t.alarms.NoBottle, 60_000, 'NoBottle');
      expect(tags.inputs.BottleAtFill).toBe(false);
      expect(tags.inputs.BottlePresent).toBe(false);
      expect(tags.status.Fault).toBe(false);
      expect(tags.outputs.IndicatorYellow).toBe(true);
      sim.reset();
      expect(sim.snapshot().alarms.NoBottle).toBe(false);
      runUntil(sim, (t) => t.alarms.NoBottle, 10_000, 'NoBottle again while starved');
      sim.clearFaults('noBottles');
      runUntil(sim, (t) => !t.alarms.NoBottle, 5_000, 'NoBottle clears');
    });

    it('emptyTank: LowLevel and LowProductLevel, then a red tank-empty fault; resettable once refilled', () => {
      const sim = withFault('emptyTank', 25, 5_000);
      const low = runUntil(sim, (t) => t.inputs.LowLevel, 60_000, 'LowLevel');
      expect(low.alarms.LowProductLevel).toBe(true);
      expect(low.inputs.HighLevel).toBe(false);
      const empty = runUntil(sim, (t) => t.status.Fault, 60_000, 'tank-empty fault');
      expect(empty.outputs.IndicatorRed).toBe(true);
      expect(sim.tankLevelPercent).toBeLessThan(5);
      sim.clearFaults('emptyTank');
      sim.reset();
      expect(sim.snapshot().status.Fault).toBe(true); // still empty
      runUntil(sim, () => sim.tankLevelPercent > 25, 120_000, 'refill');
      sim.reset();
      const after = sim.snapshot();
      expect(after.status.Fault).toBe(false);
      expect(after.alarms.LowProductLevel).toBe(false);
      expect(sim.start()).toBe(true);
    });

    it('rejects an unknown fault name', () => {
      const sim = createBottleFiller();
      expect(() => sim.inject('flood' as never)).toThrow(/unknown fault 'flood'/);
    });
  });

  it('refills the tank in batches: HighLevel at the top of a refill, the level never leaves 0–100 %', () => {
    const sim = createBottleFiller({ seed: 12, capMissProbability: 0 });
    let sawHigh = false;
    let min = 100;
    let max = 0;
    for (let i = 0; i < 60 * 60 * 10; i++) {
      sim.step(SCAN_MS);
      sawHigh ||= sim.snapshot().inputs.HighLevel;
      min = Math.min(min, sim.tankLevelPercent);
      max = Math.max(max, sim.tankLevelPercent);
    }
    expect(sawHigh).toBe(true);
    expect(min).toBeGreaterThan(20);
    expect(max).toBeLessThanOrEqual(100);
  });

  it('gives machines of one fleet seed different behaviour, each reproducible', () => {
    const a1 = createBottleFiller({ seed: 1, machineId: 'filler-0001' });
    const a2 = createBottleFiller({ seed: 1, machineId: 'filler-0001' });
    const b = createBottleFiller({ seed: 1, machineId: 'filler-0002' });
    for (const sim of [a1, a2, b]) sim.step(120_000);
    expect(a1.seed).toBe(a2.seed);
    expect(a1.seed).not.toBe(b.seed);
    expect(a1.snapshot()).toEqual(a2.snapshot());
    expect(a1.snapshot().analog).not.toEqual(b.snapshot().analog);
  });
});
