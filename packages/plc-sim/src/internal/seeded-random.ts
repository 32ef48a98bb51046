// mulberry32 (Tommy Ettinger): one 32-bit word of state, so ten thousand fillers cost 40 kB of PRNG
// state, and each draw is a handful of integer ops. Not cryptographic — it only has to be fast, well
// mixed and reproducible bit for bit on every JavaScript engine (integer ops via Math.imul and `>>>`
// are exactly specified, unlike Math.random()).

/**
 * One filler's random stream, shared by its rooms. The order in which rooms draw is part of the
 * model's behaviour: the same seed gives the same run only while every draw happens in the same
 * place of the scan, so a room draws only where the scan tells it to.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  /** The next uniform float in [0, 1). */
  next(): number {
    // Written out here rather than calling prngAdvance/prngValue: a draw is in the hottest loop of
    // the simulator, and V8 did not inline the two calls (measured: ~10 % of a scan).
    const s = (this.state + 0x6d2b79f5) | 0;
    this.state = s;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
