import { Capper } from './capper.js';
import { Conveyor } from './conveyor.js';
import { FillStation } from './fill-station.js';
import type { Infeed } from './infeed.js';
import type { SeededRandom } from './seeded-random.js';
import * as P from './line-parameters.js';

// Sequence steps of the automatic cycle (an indexing inline filler: the conveyor moves all bottles
// one pitch, stops, then filling and capping work in parallel on the stopped bottles).
const DWELL = 0;
const INDEX = 1;

/** The automatic cycle over the three positions (infeed → filler → capper) and the conveyor. */
export class IndexingSequence {
  readonly conveyor: Conveyor;
  readonly fill: FillStation;
  readonly capper = new Capper();
  /** Running with nothing to fill and nothing at the infeed: the NoBottle timer. */
  waitingMs = 0;
  /** The outfeed is backed up: the capped bottle cannot leave, so the line cannot index. */
  outfeedBlocked = false;
  private step = DWELL;
  // Bottles riding the conveyor during an index, and the level of the one bound for the capper.
  private toFill = false;
  private toCap = false;
  private toCapLevelPct = 0;

  constructor(
    readonly infeed: Infeed,
    conveyorSetpointRpm: number,
    nominalFlowLpm: number,
    private readonly random: SeededRandom,
    private readonly capMissProbability: number,
    bottleVolumeL: number,
    fillTimeoutMs: number,
  ) {
    this.conveyor = new Conveyor(conveyorSetpointRpm);
    this.fill = new FillStation(nominalFlowLpm, bottleVolumeL, fillTimeoutMs);
  }

  get indexing(): boolean {
    return this.step === INDEX;
  }

  /** Waiting for the outfeed to take the bottle at the capper. */
  get blocked(): boolean {
    return this.outfeedBlocked && this.capper.bottle && this.step === DWELL;
  }

  /**
   * One scan of the running sequence: sets the outputs (which the caller cleared before).
   * @returns Whether a bottle left the capper (read `capper.reject` for its fate).
   */
  run(): boolean {
    const { fill, capper, conveyor, infeed } = this;
    if (this.step === INDEX) {
      conveyor.cmd = true;
      return false;
    }
    // Dwell: fill and cap in parallel on stopped bottles.
    fill.work();
    capper.work();
    let discharged = false;
    const stationsDone =
      (!fill.bottle || fill.done) && (!capper.bottle || capper.done) && !fill.valveOpen;
    // Interlock: index only once the flow meter confirms the valve is shut.
    if (stationsDone && fill.flowLpm === 0 && !this.blocked) {
      if (infeed.bottle || fill.bottle || capper.bottle) {
        discharged = this.beginIndex();
        conveyor.cmd = true;
      }
    }
    if (!fill.bottle && !infeed.bottle && this.step === DWELL) {
      this.waitingMs += P.TICK_MS;
    } else {
      this.waitingMs = 0;
    }
    return discharged;
  }

  /**
   * The conveyor over one tick (`noise` is this scan's draw for its speed reading); when the
   * bottles arrive, the next dwell begins.
   * @returns Whether a bottle reached the capper without a cap (`CapMissing`).
   */
  move(noise: number, capChuteEmpty: boolean): boolean {
    return this.conveyor.drive(noise) ? this.endIndex(capChuteEmpty) : false;
  }

  private beginIndex(): boolean {
    const { fill, capper, infeed } = this;
    this.step = INDEX;
    this.conveyor.indexedM = 0;
    const discharged = capper.bottle;
    this.toCap = fill.bottle;
    this.toCapLevelPct = fill.levelPct;
    this.toFill = infeed.bottle;
    fill.release();
    capper.bottle = false;
    infeed.bottle = false;
    return discharged;
  }

  private endIndex(capChuteEmpty: boolean): boolean {
    this.step = DWELL;
    if (this.toFill) this.fill.receive();
    let capMissing = false;
    if (this.toCap) {
      // The cap chute places the cap as the bottle arrives; it also misses on its own, rarely.
      capMissing = capChuteEmpty || this.random.next() < this.capMissProbability;
      this.capper.receive(this.toCapLevelPct, capMissing);
    }
    this.toFill = false;
    this.toCap = false;
    return capMissing;
  }
}
