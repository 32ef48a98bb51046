// mulberry32 (Tommy Ettinger): one 32-bit word of state, so ten thousand fillers cost 40 kB of PRNG
// state, and each draw is a handful of integer ops. Not cryptographic — it only has to be fast, well
// mixed and reproducible bit for bit on every JavaScript engine (integer ops via Math.imul and `>>>`
// are exactly specified, unlike Math.random()).

/** Advances a mulberry32 state by one draw. */
export function prngAdvance(state: number): number {
  return (state + 0x6d2b79f5) | 0;
}

/** The uniform float in [0, 1) that belongs to an (already advanced) mulberry32 state. */
export function prngValue(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
