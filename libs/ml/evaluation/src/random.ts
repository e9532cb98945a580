/**
 * Small seeded PRNG (sfc32 seeded through splitmix32), the one the ML libs share: splits, folds and permutations
 * here, and every stochastic step of @slipway/ml-algorithms (as its createRandom), so that the same seed and data
 * give the same folds and the same model, bit for bit, on every Node version and platform. Not for cryptography.
 */
export interface SeededRandom {
  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Derives an independent generator, e.g. one per k-means restart. */
  fork(): SeededRandom;
}

export function createSeededRandom(seed: number): SeededRandom {
  let s = (Math.floor(seed) ^ Math.floor(seed / 0x100000000)) >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Discard the first outputs: sfc32 mixes poorly right after seeding.
  for (let i = 0; i < 12; i++) nextUint32();
  return {
    next: () => nextUint32() / 4294967296,
    int: (n: number) => Math.floor((nextUint32() / 4294967296) * n),
    fork: () => createSeededRandom(nextUint32()),
  };
}

/** In-place Fisher–Yates shuffle. */
export function shuffle<T extends { length: number; [i: number]: number }>(values: T, random: SeededRandom): T {
  for (let i = values.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const tmp = values[i];
    values[i] = values[j];
    values[j] = tmp;
  }
  return values;
}
