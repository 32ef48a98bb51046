import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { COMMANDS, PackmlStatusSchema } from '@ot-mqtt/tag-model';
import type { CommandName } from '@ot-mqtt/tag-model';
import { createBottleFiller } from './bottle-filler.js';
import type { BottleFiller } from './bottle-filler.js';
import { FAULTS } from './fault.js';
import type { Fault } from './fault.js';

const quiet = { capMissProbability: 0 } as const;

function run(filler: BottleFiller, command: CommandName, fault?: Fault) {
  return filler.command(fault === undefined ? { command } : { command, fault });
}

describe('PackML state machine', () => {
  it('powers on Stopped, starts only from Idle: reset, then start, then Execute with bottles', () => {
    const f = createBottleFiller({ autoStart: false, ...quiet });
    expect(f.packml).toEqual({
      state: 'Stopped',
      stateCode: 2,
      mode: 'Production',
      modeCode: 1,
      stopReason: { code: 5, text: 'not started since power-on' },
    });
    expect(run(f, 'start')).toEqual({
      accepted: false,
      reason: 'reset first: the machine starts from Idle (state Stopped)',
    });
    expect(run(f, 'reset')).toEqual({ accepted: true });
    expect(f.packml.state).toBe('Resetting');
    f.step(100);
    expect(f.packml.state).toBe('Idle');
    expect(run(f, 'start')).toEqual({ accepted: true });
    // The status tags show the command at once; the sequence runs from the next scan.
    expect(f.packml.state).toBe('Starting');
    expect(f.snapshot().status).toMatchObject({ SystemRunning: true, Ready: true, Fault: false });
    f.step(100);
    expect(f.packml).toMatchObject({ state: 'Execute', stateCode: 6, stopReason: null });
    f.step(60_000);
    expect(f.snapshot().counters.BottlesFilled).toBeGreaterThan(5);
  });

  it('stops on stop: outputs off in the same scan, Stopped with the operator as the reason', () => {
    const f = createBottleFiller(quiet);
    f.step(20_000);
    expect(run(f, 'stop')).toEqual({ accepted: true });
    const t = f.snapshot();
    expect(t.status.SystemRunning).toBe(false);
    expect([t.outputs.FillValve, t.outputs.ConveyorMotor, t.outputs.CappingMotor]).toEqual([
      false,
      false,
      false,
    ]);
    f.step(100);
    expect(f.packml).toMatchObject({
      state: 'Stopped',
      stopReason: { code: 1, text: 'stopped by the operator' },
    });
    expect(run(f, 'stop')).toEqual({ accepted: false, reason: 'already stopped (state Stopped)' });
  });

  it('holds and unholds: Held keeps the sequence where it was, unhold resumes Execute', () => {
    const f = createBottleFiller(quiet);
    f.step(10_000);
    const filled = f.snapshot().counters.BottlesFilled;
    expect(run(f, 'hold')).toEqual({ accepted: true });
    f.step(30_000);
    expect(f.packml).toMatchObject({ state: 'Held', stateCode: 11, stopReason: { code: 2 } });
    expect(f.snapshot().counters.BottlesFilled).toBe(filled);
    expect(run(f, 'start')).toEqual({ accepted: false, reason: 'unhold to resume (state Held)' });
    expect(run(f, 'unhold')).toEqual({ accepted: true });
    expect(f.snapshot().status.SystemRunning).toBe(true);
    f.step(30_000);
    expect(f.packml.state).toBe('Execute');
    expect(f.snapshot().counters.BottlesFilled).toBeGreaterThan(filled);
    run(f, 'stop');
    f.step(100);
    expect(run(f, 'hold')).toEqual({
      accepted: false,
      reason: 'hold is accepted while the line runs (state Stopped)',
    });
    expect(run(f, 'unhold')).toEqual({
      accepted: false,
      reason: 'nothing to unhold (state Stopped)',
    });
  });

  it('aborts on a fault (jamValve): Fault, the cause as stop reason, refusals until repaired and reset', () => {
    const f = createBottleFiller(quiet);
    expect(run(f, 'inject-fault', 'jamValve')).toEqual({ accepted: true });
    f.step(20_000);
    expect(f.packml).toMatchObject({
      state: 'Aborted',
      stateCode: 9,
      stopReason: { code: 10, text: 'overfill: product still flowing into a full bottle' },
    });
    expect(f.snapshot().status).toMatchObject({ Fault: true, Ready: false, SystemRunning: false });
    expect(run(f, 'start')).toEqual({
      accepted: false,
      reason:
        'reset the fault first (state Aborted: overfill: product still flowing into a full bottle)',
    });
    expect(run(f, 'reset')).toEqual({
      accepted: false,
      reason:
        'product is still flowing into the full bottle: repair the fill valve first (clear-fault jamValve)',
    });
    expect(f.snapshot().alarms.Overfill).toBe(true);
    expect(run(f, 'clear-fault', 'jamValve')).toEqual({ accepted: true });
    expect(run(f, 'reset')).toEqual({ accepted: true });
    expect(f.snapshot().status.Fault).toBe(false);
    expect(f.snapshot().alarms.Overfill).toBe(false);
    f.step(100);
    expect(f.packml.state).toBe('Idle');
    expect(run(f, 'start')).toEqual({ accepted: true });
    f.step(100);
    expect(f.packml.state).toBe('Execute');
  });

  it('emptyTank: reset refused with the tank level until the supply is back and the tank refilled', () => {
    const f = createBottleFiller(quiet);
    run(f, 'inject-fault', 'emptyTank');
    f.step(30_000);
    expect(f.packml.stopReason).toEqual({ code: 11, text: 'product tank empty' });
    const refused = run(f, 'reset');
    expect(refused.accepted).toBe(false);
    expect(refused.reason).toMatch(
      /^the product tank is at \d+\.\d %, below the 10 % needed to reset: restore the product supply first \(clear-fault emptyTank\)$/,
    );
    run(f, 'clear-fault', 'emptyTank');
    expect(run(f, 'reset').reason).toMatch(/wait for the refill$/);
    f.step(60_000);
    expect(run(f, 'reset')).toEqual({ accepted: true });
  });

  it('abort is an e-stop: Aborted with Fault; clear goes to Stopped, reset to Idle', () => {
    const f = createBottleFiller(quiet);
    f.step(5_000);
    expect(run(f, 'abort')).toEqual({ accepted: true });
    expect(f.snapshot().status).toMatchObject({ Fault: true, SystemRunning: false });
    expect(run(f, 'abort')).toEqual({
      accepted: false,
      reason: 'already aborted (state Aborting)',
    });
    f.step(100);
    expect(f.packml).toMatchObject({ state: 'Aborted', stopReason: { code: 3 } });
    expect(run(f, 'stop').reason).toBe(
      'the machine is aborted: reset (or clear) the fault instead (state Aborted)',
    );
    expect(run(f, 'clear')).toEqual({ accepted: true });
    f.step(100);
    expect(f.packml.state).toBe('Stopped');
    expect(run(f, 'clear')).toEqual({
      accepted: false,
      reason: 'nothing to clear: clear is accepted in Aborted (state Stopped)',
    });
    run(f, 'reset');
    f.step(100);
    expect(f.packml.state).toBe('Idle');
  });

  it('manual mode: AutoMode false, mode code 3, the line stops; start refused until auto', () => {
    const f = createBottleFiller(quiet);
    f.step(5_000);
    expect(run(f, 'manual')).toEqual({ accepted: true });
    f.step(100);
    expect(f.packml).toMatchObject({
      state: 'Stopped',
      mode: 'Manual',
      modeCode: 3,
      stopReason: { code: 4, text: 'switched to manual mode' },
    });
    expect(f.snapshot().status).toMatchObject({ AutoMode: false, Ready: false });
    expect(run(f, 'manual')).toEqual({
      accepted: false,
      reason: 'already in manual (mode Manual)',
    });
    run(f, 'reset');
    f.step(100);
    expect(run(f, 'start')).toEqual({
      accepted: false,
      reason: 'switch to auto first (mode Manual)',
    });
    expect(run(f, 'auto')).toEqual({ accepted: true });
    expect(run(f, 'auto')).toEqual({
      accepted: false,
      reason: 'already in auto (mode Production)',
    });
    expect(run(f, 'start')).toEqual({ accepted: true });
  });

  it('suspends when starved of bottles (NoBottle) and resumes by itself when they come back', () => {
    const f = createBottleFiller(quiet);
    f.step(5_000);
    run(f, 'inject-fault', 'noBottles');
    f.step(20_000);
    expect(f.packml).toMatchObject({
      state: 'Suspended',
      stateCode: 5,
      stopReason: { code: 20, text: 'starved: no bottles at the infeed' },
    });
    expect(f.snapshot().status.SystemRunning).toBe(true);
    expect(f.snapshot().alarms.NoBottle).toBe(true);
    run(f, 'clear-fault', 'noBottles');
    f.step(5_000);
    expect(f.packml).toMatchObject({ state: 'Execute', stopReason: null });
  });

  it('refuses fault commands that would change nothing, and unknown commands', () => {
    const f = createBottleFiller(quiet);
    expect(run(f, 'clear-fault')).toEqual({ accepted: false, reason: 'no fault is injected' });
    run(f, 'inject-fault', 'missCap');
    expect(run(f, 'inject-fault', 'missCap')).toEqual({
      accepted: false,
      reason: 'missCap is already injected',
    });
    expect(run(f, 'clear-fault', 'jamValve')).toEqual({
      accepted: false,
      reason: 'jamValve is not injected (injected: missCap)',
    });
    expect(f.command({ command: 'inject-fault' })).toMatchObject({ accepted: false });
    expect(f.command({ command: 'launch' as CommandName })).toEqual({
      accepted: false,
      reason: 'unknown command "launch"',
    });
    expect(run(f, 'clear-fault')).toEqual({ accepted: true });
    expect(f.activeFaults).toEqual([]);
  });

  it('resets latched alarms while running without leaving Execute', () => {
    const f = createBottleFiller(quiet);
    run(f, 'inject-fault', 'starveValve');
    f.step(15_000);
    run(f, 'clear-fault', 'starveValve');
    expect(f.snapshot().alarms.Underfill).toBe(true);
    expect(run(f, 'reset')).toEqual({ accepted: true });
    expect(f.snapshot().alarms.Underfill).toBe(false);
    expect(f.packml.state).toBe('Execute');
  });
});

describe('status tags derived from the PackML state (property-based)', () => {
  const RUNNING = ['Starting', 'Execute', 'Suspending', 'Suspended', 'Unsuspending', 'Unholding'];
  const actionArb = fc.oneof(
    fc.integer({ min: 1, max: 20_000 }).map((ms) => ({ ms })),
    fc.record({
      command: fc.constantFrom(...COMMANDS),
      fault: fc.option(fc.constantFrom(...FAULTS), { nil: undefined }),
    }),
  );

  it('hold in every scan under any sequence of commands, and the same commands give the same states', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.array(actionArb, { minLength: 1, maxLength: 30 }),
        (seed, actions) => {
          const trace = (check: boolean) => {
            const f = createBottleFiller({ seed, autoStart: seed % 2 === 0 });
            const seen: string[] = [];
            const verify = () => {
              const p = f.packml;
              const s = f.snapshot().status;
              if (!check) return;
              PackmlStatusSchema.parse(p);
              expect(s.SystemRunning).toBe(RUNNING.includes(p.state));
              expect(s.Fault).toBe(p.state === 'Aborted' || p.state === 'Aborting');
              expect(s.AutoMode).toBe(p.mode === 'Production');
              expect(s.Ready).toBe(s.AutoMode && !s.Fault);
              expect(p.stopReason === null).toBe(p.state === 'Execute');
            };
            for (const a of actions) {
              if ('ms' in a) {
                for (let t = 0; t < a.ms; t += 500) {
                  f.step(500);
                  verify();
                }
              } else {
                const outcome = f.command(a);
                if (!outcome.accepted) expect(outcome.reason).toBeTruthy();
                verify();
              }
              seen.push(JSON.stringify(f.packml));
            }
            return seen;
          };
          expect(trace(true)).toEqual(trace(false));
        },
      ),
      { numRuns: 60 },
    );
  });
});
