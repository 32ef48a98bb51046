import type { BottleFillerTags, PackmlStatus } from '@ot-mqtt/tag-model';
import type { CommandOutcome, FillerCommand } from './filler-command.js';
import type { Fault } from './fault.js';
import type { FillerPhase } from './filler-phase.js';
import { FillerModel } from './internal/filler-model.js';
import { deriveSeed } from './derive-seed.js';
import { TICK_MS } from './internal/line-parameters.js';
import { checkShiftOptions } from './internal/check-shift-options.js';
import type { ShiftOptions } from './shift-options.js';
import { DEFAULT_LINE_PARAMETERS } from './line-parameters.js';
import type { LineParameters } from './line-parameters.js';
import type { ShiftReport } from './shift-report.js';

/**
 * Length of one simulated PLC scan in milliseconds. {@link BottleFiller.step} advances the model
 * in whole scans of this length and carries the remainder to the next call.
 */
export const SCAN_MS = TICK_MS;

/** Default fleet-wide seed: simulations are reproducible unless a caller asks otherwise. */
export const DEFAULT_SEED = 0x5eed;

/** Default machine id, as in the payload envelope of `@ot-mqtt/tag-model`. */
export const DEFAULT_MACHINE_ID = 'filler-01';

/** Options of {@link createBottleFiller}; all optional. */
export interface BottleFillerOptions {
  /** Fleet-wide seed; combined with `machineId` by {@link deriveSeed} (default: {@link DEFAULT_SEED}). */
  seed?: number;
  /** Machine id; also selects this machine's seed-derived behaviour (default: `filler-01`). */
  machineId?: string;
  /** Start in auto mode with the line running, as an unattended demo line (default: true). */
  autoStart?: boolean;
  /** Probability that the cap chute misses a bottle on its own, without a fault (default: 0.002). */
  capMissProbability?: number;
  /** Rejects in a row that fault the line (default: 3). */
  maxConsecutiveRejects?: number;
  /** Size and speed of the line (bottle volume, valve flow, conveyor speed, tank); see `DEFAULT_LINE_PARAMETERS`. */
  line?: Partial<LineParameters>;
  /**
   * Disturbances, drifts, operator and schedule of a shift on a real line (see `PLAUSIBLE_SHIFT`
   * and `loadScenario`). Without it the line is the steady one of the first release: it runs until a
   * fault is injected — what tests that count bottles want.
   */
  shift?: ShiftOptions;
}

/**
 * A simulated bottle filler: a deterministic state machine with physics, advanced by its caller.
 * It owns no timers and no sockets; use {@link simulate$} to drive it in real time.
 */
export interface BottleFiller {
  /** Machine id given at creation. */
  readonly machineId: string;
  /** The 32-bit seed this machine's random draws start from (derived from seed and machine id). */
  readonly seed: number;
  /** Number of PLC scans executed so far (each {@link SCAN_MS} of simulated time). */
  readonly scan: number;
  /** Simulated time in milliseconds since creation, in whole scans. */
  readonly timeMs: number;
  /** What the automatic sequence is doing; see {@link FillerPhase}. */
  readonly phase: FillerPhase;
  /** Product tank level in percent (internal state; no tag carries it, only LowLevel/HighLevel). */
  readonly tankLevelPercent: number;
  /** Faults currently injected, in the order of {@link FAULTS}. */
  readonly activeFaults: readonly Fault[];
  /**
   * Advances simulated time by `ms` (finite, ≥ 0). Time is simulated in whole scans of
   * {@link SCAN_MS}; the remainder is carried, so for integer milliseconds any split of the same
   * total gives bit-for-bit the same state (`step(2000)` ≡ 20 × `step(100)` ≡ `step(1999); step(1)`).
   * @throws RangeError when `ms` is negative, NaN or infinite.
   */
  step(ms: number): void;
  /** The 30 tags as they stand after the last completed scan; a fresh object on every call. */
  snapshot(): BottleFillerTags;
  /**
   * Operator start button: runs the line if it is in auto mode and not faulted.
   * @returns Whether the line was started (or already running).
   */
  start(): boolean;
  /** Operator stop button: the sequence holds where it is; outputs go off. */
  stop(): void;
  /**
   * Operator reset button: clears latched alarms and faults whose cause is gone, re-arms the
   * NoBottle timer and the reject counter. A line stopped by a fault stays stopped until
   * {@link BottleFiller.start}.
   */
  reset(): void;
  /** Auto/manual selector; switching to manual stops the automatic sequence. */
  setAutoMode(auto: boolean): void;
  /** Injects a physical fault; it stays until {@link BottleFiller.clearFaults}. See {@link FAULTS}. */
  inject(fault: Fault): void;
  /** Repairs one injected fault, or all of them without an argument. Alarms still need a reset. */
  clearFaults(fault?: Fault): void;
  /**
   * The PackML state (ISA-TR88.00.02): state and unit mode with their PackTags numbers, and the
   * reason the machine last stopped. The five status tags follow from it: `SystemRunning` in
   * Starting/Execute/Suspended (and the acting states between them), `Fault` in
   * Aborting/Aborted, `AutoMode` in mode Production, `Ready` = Production and not aborted.
   */
  readonly packml: PackmlStatus;
  /**
   * Applies a command as the filler's PLC would: through the PackML state machine, refusing what
   * the state forbids with the reason in words. Acting states (Starting, Stopping, Resetting, …)
   * complete at the next scan, so the effect shows in the next snapshot.
   *
   * Unlike the push-buttons {@link BottleFiller.start} and friends, kept from the first release,
   * commands follow PackML strictly: start only from Idle (reset first after a stop), clear only
   * from Aborted; `reset` in Aborted clears and resets in one.
   *
   * @example
   * ```ts
   * import { createBottleFiller } from '@ot-mqtt/plc-sim';
   * const filler = createBottleFiller({ autoStart: false });
   * filler.command({ command: 'start' }); // { accepted: false, reason: 'reset first: …' }
   * filler.command({ command: 'reset' }); // { accepted: true }
   * filler.step(100); // Resetting → Idle
   * filler.command({ command: 'start' }); // { accepted: true }
   * filler.packml.state; // 'Starting' (Execute after the next scan)
   * ```
   */
  command(command: FillerCommand): CommandOutcome;
  /**
   * The shift so far — downtime by cause, MTBF/MTTR figures, alarms raised, good and rejected
   * bottles (see `shiftOee`); undefined for a steady line (created without `shift`).
   */
  readonly shiftReport: ShiftReport | undefined;
}

/**
 * Creates a simulated bottle filler. The same options and the same sequence of calls give the same
 * tags, bit for bit; machines with different ids (or seeds) behave differently. A filler is small
 * (a few hundred bytes) and a scan costs well under a microsecond, so thousands fit in one process.
 *
 * @example
 * ```ts
 * import { createBottleFiller } from '@ot-mqtt/plc-sim';
 *
 * const filler = createBottleFiller({ seed: 42, machineId: 'filler-01' });
 * filler.step(60_000); // one simulated minute
 * const tags = filler.snapshot();
 * console.log(tags.counters.BottlesFilled, tags.analog.FillLevel);
 *
 * filler.inject('jamValve'); // the next bottle overfills and the line faults
 * filler.step(10_000);
 * filler.snapshot().status.Fault; // true
 * filler.clearFaults();
 * filler.reset();
 * filler.start();
 * ```
 */
export function createBottleFiller(options: BottleFillerOptions = {}): BottleFiller {
  const machineId = options.machineId ?? DEFAULT_MACHINE_ID;
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const capMissProbability = options.capMissProbability ?? 0.002;
  if (!(capMissProbability >= 0 && capMissProbability <= 1)) {
    throw new RangeError(`capMissProbability must be within 0…1, got ${capMissProbability}`);
  }
  const maxConsecutiveRejects = options.maxConsecutiveRejects ?? 3;
  if (!Number.isInteger(maxConsecutiveRejects) || maxConsecutiveRejects < 1) {
    throw new RangeError(
      `maxConsecutiveRejects must be an integer ≥ 1, got ${maxConsecutiveRejects}`,
    );
  }
  if (options.shift !== undefined) checkShiftOptions(options.shift);
  const line = { ...DEFAULT_LINE_PARAMETERS, ...options.line };
  for (const [name, value] of Object.entries(line)) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new RangeError(`line.${name} must be a number > 0, got ${value}`);
    }
  }
  return new FillerModel(
    machineId,
    deriveSeed(seed, machineId),
    options.autoStart ?? true,
    capMissProbability,
    maxConsecutiveRejects,
    options.shift,
    line,
  );
}
