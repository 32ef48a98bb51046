import { R, round2 } from './ranges.js';
import * as P from './line-parameters.js';

/** The indexing conveyor's drive: ramps up while commanded, braked to 0 otherwise. */
export class Conveyor {
  /** PLC output `ConveyorMotor`. */
  cmd = false;
  private rpm = 0;
  private jitter = 0;
  /** Distance travelled since the current index began. */
  indexedM = 0;

  constructor(private readonly setpointRpm: number) {}

  /** `ConveyorSpeed` as the drive reports it: 0 whenever the motor is off. */
  get speed(): number {
    return this.cmd ? round2(this.rpm + this.jitter, R.speed) : 0;
  }

  /**
   * Moves the drive for one tick (`noise` is this scan's draw for the speed reading).
   * @returns Whether the bottles have now travelled one pitch.
   */
  drive(noise: number): boolean {
    if (!this.cmd) {
      this.rpm = 0;
      this.jitter = 0;
      return false;
    }
    this.rpm = Math.min(this.setpointRpm, this.rpm + P.CONVEYOR_ACCEL_RPM_PER_S * P.DT_S);
    this.jitter = (noise - 0.5) * 0.6;
    this.indexedM += (this.rpm / 60) * P.METRES_PER_REV * P.DT_S;
    return this.indexedM >= P.PITCH_M;
  }

  /** Motor off and braked at once (stop, fault). */
  brake(): void {
    this.cmd = false;
    this.rpm = 0;
    this.jitter = 0;
  }
}
