import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createBottleFiller } from './bottle-filler.js';
import { SHIPPED_SCENARIOS, ScenarioError, loadScenario, parseScenario } from './scenario.js';
import { PLAUSIBLE_SHIFT } from './shift-options.js';
import { shiftOee } from './shift-report.js';

const HOUR = 3600_000;
const dir = mkdtempSync(join(tmpdir(), 'plc-sim-scenario-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function oeeOf(name: string, seed = 1) {
  const filler = createBottleFiller({ seed, ...loadScenario(name).filler });
  filler.step(8 * HOUR);
  return { ...shiftOee(filler.shiftReport!), report: filler.shiftReport! };
}

describe('scenario files', () => {
  it('ships scenarios that load and order as their names say: good > plausible > bad', () => {
    for (const name of SHIPPED_SCENARIOS) expect(loadScenario(name).name).toBeTruthy();
    expect(loadScenario('steady').filler.shift).toBeUndefined();
    expect(loadScenario('plausible').filler.shift).toBe(PLAUSIBLE_SHIFT);
    const good = oeeOf('good-shift');
    const plausible = oeeOf('plausible');
    const bad = oeeOf('bad-shift');
    expect(good.oee).toBeGreaterThan(plausible.oee);
    expect(plausible.oee).toBeGreaterThan(bad.oee);
    expect(good.oee).toBeGreaterThan(0.75);
    expect(bad.oee).toBeLessThan(0.6);
    const starved = oeeOf('starved-line');
    expect(starved.performance).toBeLessThan(plausible.performance);
    expect(starved.report.alarmRaises.NoBottle).toBeGreaterThan(10);
  }, 60_000);

  it('reads the example of the issue: inject emptyTank at 10:00, clear at 10:20, changeover at 12:00', () => {
    const path = join(dir, 'shift.yaml');
    writeFileSync(
      path,
      [
        'start: { time: "08:00", tankLevelPercent: 60 }',
        'base: none',
        'operator: {}',
        'schedule:',
        '  - { at: "10:00", action: inject, fault: emptyTank }',
        '  - { at: "10:20", action: clear, fault: emptyTank }',
        '  - { at: "12:00", action: changeover, durationMinutes: 30 }',
        '  - { at: 30, action: stop }',
      ].join('\n'),
    );
    const { filler } = loadScenario(path);
    expect(filler.shift?.schedule).toEqual([
      { atMs: 2 * HOUR, action: 'inject', fault: 'emptyTank' },
      { atMs: 2 * HOUR + 20 * 60_000, action: 'clear', fault: 'emptyTank' },
      { atMs: 4 * HOUR, action: 'changeover', durationMs: 30 * 60_000 },
      { atMs: 30 * 60_000, action: 'stop' },
    ]);
    expect(filler.shift?.startTankLevelPercent).toBe(60);
    expect(filler.shift?.disturbances).toEqual({});
    const line = createBottleFiller({ ...filler });
    line.step(2 * HOUR + 60_000);
    expect(line.snapshot().alarms.LowProductLevel).toBe(true);
  });

  it('sizes the line: a 1 L bottle on the same valve makes about half the bottles', () => {
    const { filler } = parseScenario(
      'base: none\nline: { bottleVolumeL: 1.0, tankCapacityL: 400 }',
    );
    expect(filler.line).toEqual({ bottleVolumeL: 1.0, tankCapacityL: 400 });
    const big = createBottleFiller({ ...filler });
    const small = createBottleFiller({ ...parseScenario('base: none').filler });
    big.step(HOUR);
    small.step(HOUR);
    const ratio = big.snapshot().counters.BottlesFilled / small.snapshot().counters.BottlesFilled;
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(0.8); // filling takes twice as long, indexing does not
    // The fill timeout grows with the bottle: big bottles are filled, not timed out as underfilled.
    expect(big.snapshot().counters.BottlesRejected).toBeLessThan(5);
    expect(() => createBottleFiller({ line: { tankCapacityL: 0 } })).toThrow(
      'line.tankCapacityL must be a number > 0, got 0',
    );
  });

  it('reads JSON too, and keeps the plausible rates a file does not override', () => {
    const { filler } = parseScenario(
      '{"disturbances": {"infeedJam": {"mtbfMinutes": 5}, "supplyLost": null}}',
    );
    expect(filler.shift?.disturbances?.infeedJam).toEqual({
      mtbfMinutes: 5,
      mttrSeconds: 45,
      repairSpread: 0.6,
    });
    expect(filler.shift?.disturbances?.supplyLost).toBeNull();
    expect(filler.shift?.disturbances?.capFeedEmpty).toEqual(
      PLAUSIBLE_SHIFT.disturbances?.capFeedEmpty,
    );
  });

  it.each([
    ['schedule:\n  - { at: "25:00", action: stop }', 'bad.yaml: schedule[0].at'],
    [
      'schedule:\n  - { at: "10:00", action: inject }',
      'bad.yaml: schedule[0].fault: inject needs a fault',
    ],
    ['schedule:\n  - { at: "10:00", action: inject, fault: flood }', 'bad.yaml: schedule[0].fault'],
    [
      'disturbances:\n  infeedJam: { mtbfMinutes: -1 }',
      'bad.yaml: disturbances.infeedJam.mtbfMinutes',
    ],
    ['disturbances:\n  meteor: { mtbfMinutes: 1 }', 'bad.yaml: disturbances'],
    ['operatr: {}', 'bad.yaml: (top level): Unrecognized key: "operatr"'],
    ['start: { tankLevelPercent: 140 }', 'bad.yaml: start.tankLevelPercent'],
    [
      'disturbances:\n  infeedJam: { mtbfMinutes: never }',
      'bad.yaml: disturbances.infeedJam.mtbfMinutes: Invalid input: expected number',
    ],
    ['operator: { responseSeconds: 0 }', 'bad.yaml: operator.responseSeconds'],
    [
      'base: none\ndisturbances:\n  infeedJam: { mtbfMinutes: 3 }',
      'bad.yaml: disturbances.infeedJam: needs mtbfMinutes and mttrSeconds',
    ],
    ['a: [1', 'bad.yaml: not YAML or JSON'],
  ])('refuses %j naming the field', (text, message) => {
    expect(() => parseScenario(text, 'bad.yaml')).toThrow(ScenarioError);
    expect(() => parseScenario(text, 'bad.yaml')).toThrow(message);
  });

  it('never fails on any input but with a ScenarioError, and what it accepts builds a filler (property)', () => {
    const text = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map((v) => JSON.stringify({ schedule: [v], disturbances: v })),
    );
    fc.assert(
      fc.property(text, (t) => {
        let scenario;
        try {
          scenario = parseScenario(t, 'any');
        } catch (error) {
          expect(error).toBeInstanceOf(ScenarioError);
          return;
        }
        createBottleFiller({ ...scenario.filler }).step(60_000);
      }),
      { numRuns: 300 },
    );
  });

  it('says which file it cannot read and what it could have been', () => {
    expect(() => loadScenario(join(dir, 'missing.yaml'))).toThrow(
      /cannot read the scenario file .*missing\.yaml \(ENOENT\): give a path or one of plausible, steady/,
    );
  });
});
