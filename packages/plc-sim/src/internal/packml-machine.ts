import { PACKML_STATES, PACKML_STATE_NAMES } from '@ot-mqtt/tag-model';
import type { PackmlStateName, PackmlStatus, StopReason } from '@ot-mqtt/tag-model';

const S = PACKML_STATES;

/** Why the machine last left Execute (PackTags `Admin.StopReason`). */
export const STOP_REASONS = {
  operatorStop: { code: 1, text: 'stopped by the operator' },
  operatorHold: { code: 2, text: 'held by the operator' },
  operatorAbort: { code: 3, text: 'aborted by the operator' },
  manualMode: { code: 4, text: 'switched to manual mode' },
  powerOn: { code: 5, text: 'not started since power-on' },
  overfill: { code: 10, text: 'overfill: product still flowing into a full bottle' },
  tankEmpty: { code: 11, text: 'product tank empty' },
  rejects: { code: 12, text: 'too many rejected bottles in a row' },
  starved: { code: 20, text: 'starved: no bottles at the infeed' },
  blocked: { code: 21, text: 'blocked: the outfeed does not take bottles' },
} as const satisfies Record<string, StopReason>;

type Reason = (typeof STOP_REASONS)[keyof typeof STOP_REASONS];

/** What each acting state becomes once its work is done (at the start of the next scan). */
const COMPLETES_TO: Partial<Record<number, number>> = {
  [S.Starting]: S.Execute,
  [S.Unholding]: S.Execute,
  [S.Unsuspending]: S.Execute,
  [S.Stopping]: S.Stopped,
  [S.Clearing]: S.Stopped,
  [S.Resetting]: S.Idle,
  [S.Aborting]: S.Aborted,
  [S.Holding]: S.Held,
  [S.Suspending]: S.Suspended,
};

const name = (code: number): PackmlStateName => PACKML_STATE_NAMES[code]!;

/**
 * The PackML state machine of ISA-TR88.00.02 as this filler implements it: state, unit mode and
 * stop reason, and which command each state accepts. Acting states (Starting, Stopping, Resetting,
 * Clearing, Aborting, Holding, Unholding, Suspending, Unsuspending) complete at the start of the
 * next PLC scan — the filler's outputs switch within one scan — so a command shows in the very next
 * snapshot. Completing/Complete are not used (the filler runs no batches).
 *
 * The methods named after commands return `undefined` when the command is accepted, else the
 * reason it is refused, in words.
 */
export class PackmlMachine {
  /** PackTags state number; see PACKML_STATES. */
  state: number;
  /** Unit mode Production (the seed's `AutoMode`), else Manual. */
  production = true;
  private reason: Reason | null;

  constructor(autoStart: boolean) {
    this.state = autoStart ? S.Execute : S.Stopped;
    this.reason = autoStart ? null : STOP_REASONS.powerOn;
  }

  /** `SystemRunning`: the line runs or is about to within this scan. */
  get running(): boolean {
    const s = this.state;
    return (
      s === S.Execute ||
      s === S.Starting ||
      s === S.Suspended ||
      s === S.Suspending ||
      s === S.Unsuspending ||
      s === S.Unholding
    );
  }

  /** `Fault`: aborted, or aborting. */
  get aborted(): boolean {
    return this.state === S.Aborted || this.state === S.Aborting;
  }

  /** Text of the stop reason, without building the status object. */
  get reasonText(): string | undefined {
    return this.reason?.text;
  }

  get status(): PackmlStatus {
    return {
      state: name(this.state),
      stateCode: this.state,
      mode: this.production ? 'Production' : 'Manual',
      modeCode: this.production ? 1 : 3,
      stopReason: this.reason === null ? null : { ...this.reason },
    };
  }

  /** Start of a scan: acting states whose work is done move on. */
  complete(): void {
    const next = COMPLETES_TO[this.state];
    if (next === undefined) return;
    this.state = next;
    if (next === S.Execute) this.reason = null;
  }

  /** End of a scan: a running line with nothing to fill suspends; it resumes when bottles come. */
  starved(starved: boolean, blocked = false): void {
    if ((starved || blocked) && this.state === S.Execute) {
      this.enter(S.Suspending, starved ? STOP_REASONS.starved : STOP_REASONS.blocked);
    } else if (!starved && !blocked && this.state === S.Suspended) this.state = S.Unsuspending;
  }

  /** A fault trips the line: Aborting, with the first cause as the stop reason (first-out). */
  trip(reason: Reason): void {
    if (!this.aborted) this.enter(S.Aborting, reason);
  }

  start(): string | undefined {
    const s = this.state;
    if (this.aborted) return `reset the fault first (state ${name(s)}: ${this.reason?.text})`;
    if (!this.production) return 'switch to auto first (mode Manual)';
    if (this.running) return `already running (state ${name(s)})`;
    if (s === S.Held || s === S.Holding) return `unhold to resume (state ${name(s)})`;
    if (s === S.Stopped) return 'reset first: the machine starts from Idle (state Stopped)';
    if (s !== S.Idle) return `wait until the machine is Idle (state ${name(s)})`;
    this.state = S.Starting;
    return undefined;
  }

  stop(): string | undefined {
    const s = this.state;
    if (s === S.Stopped || s === S.Stopping) return `already stopped (state ${name(s)})`;
    if (this.aborted || s === S.Clearing) {
      return `the machine is aborted: reset (or clear) the fault instead (state ${name(s)})`;
    }
    this.enter(S.Stopping, STOP_REASONS.operatorStop);
    return undefined;
  }

  hold(): string | undefined {
    const s = this.state;
    if (s === S.Held || s === S.Holding) return `already held (state ${name(s)})`;
    if (!this.running) return `hold is accepted while the line runs (state ${name(s)})`;
    this.enter(S.Holding, STOP_REASONS.operatorHold);
    return undefined;
  }

  unhold(): string | undefined {
    const s = this.state;
    if (s !== S.Held) return `nothing to unhold (state ${name(s)})`;
    if (!this.production) return 'switch to auto first (mode Manual)';
    this.state = S.Unholding;
    return undefined;
  }

  abort(): string | undefined {
    if (this.aborted) return `already aborted (state ${name(this.state)})`;
    this.enter(S.Aborting, STOP_REASONS.operatorAbort);
    return undefined;
  }

  /** Clear: Aborted → Clearing → Stopped; `blocked` says why the fault cannot be cleared yet. */
  clear(blocked: string | undefined): string | undefined {
    const s = this.state;
    if (s !== S.Aborted) return `nothing to clear: clear is accepted in Aborted (state ${name(s)})`;
    if (blocked !== undefined) return blocked;
    this.state = S.Clearing;
    return undefined;
  }

  /**
   * Reset: Stopped → Resetting → Idle; in Aborted it clears first (the reset button of most
   * fillers does both). In the other wait states it only resets the alarms and keeps the state.
   */
  reset(blocked: string | undefined): string | undefined {
    const s = this.state;
    if (this.aborted) {
      if (s === S.Aborting) return 'wait until the machine is Aborted (state Aborting)';
      if (blocked !== undefined) return blocked;
      this.state = S.Resetting;
      return undefined;
    }
    if (s === S.Stopped || s === S.Complete) this.state = S.Resetting;
    else if (COMPLETES_TO[s] !== undefined && !this.running) {
      return `wait until the machine is in a wait state (state ${name(s)})`;
    }
    return undefined;
  }

  /** Unit mode. Manual stops a line that is not aborted (the key switch of a real filler does). */
  setProduction(production: boolean): void {
    this.production = production;
    if (!production && !this.aborted && this.state !== S.Stopped) {
      this.enter(S.Stopping, STOP_REASONS.manualMode);
    }
  }

  // --- The push-buttons of the first release (BottleFiller.start/stop/reset), kept as they were:
  // start runs the line from any state but Aborted and Manual, reset clears what it can.

  /** @returns Whether the line runs (or starts). */
  pushStart(): boolean {
    if (!this.production || this.aborted) return false;
    if (!this.running) this.state = S.Starting;
    return true;
  }

  pushStop(): void {
    if (!this.aborted && this.state !== S.Stopped)
      this.enter(S.Stopping, STOP_REASONS.operatorStop);
  }

  /** After the alarm latches were reset: a fault whose causes are all gone is cleared. */
  pushReset(faultCleared: boolean): void {
    if (this.aborted && faultCleared) this.state = S.Clearing;
    else if (this.state === S.Stopped) this.state = S.Resetting;
  }

  private enter(state: number, reason: Reason): void {
    this.state = state;
    this.reason = reason;
  }
}
