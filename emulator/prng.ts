/** A seeded pseudo-random generator, so fault probabilities and jitter replay identically. */
export interface Prng {
  /** A number in [0, 1). */
  next(): number;
}

/** mulberry32: tiny, fast and good enough for test scheduling (not for secrets). */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}
