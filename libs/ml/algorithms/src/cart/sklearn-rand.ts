/**
 * scikit-learn's tree RNG, reproduced so that `seed` means exactly what `random_state` means there: the splitter
 * state is the first draw of numpy's RandomState(seed).randint(0, 2^31 - 1) (MT19937), and feature draws use
 * sklearn's xorshift `our_rand_r`. With max_features = all features the only randomness is the order features
 * are visited, which decides ties between equally good splits — so the same seed grows the same tree as
 * scikit-learn's DecisionTreeClassifier(random_state=seed) on the same data.
 */

const RAND_R_MAX = 0x7fffffff;

/** First 32-bit output of MT19937 seeded with init_genrand(seed) (numpy's legacy integer seeding). */
function mt19937FirstOutput(seed: number): number {
  const mt = new Uint32Array(624);
  mt[0] = seed >>> 0;
  for (let i = 1; i < 624; i++) {
    const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
    mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
  }
  // Twist only what the first output needs: element 0 from mt[0], mt[1] and mt[397].
  const y = (mt[0] & 0x80000000) | (mt[1] & 0x7fffffff);
  let v = mt[397] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
  v ^= v >>> 11;
  v ^= (v << 7) & 0x9d2c5680;
  v ^= (v << 15) & 0xefc60000;
  v ^= v >>> 18;
  return v >>> 0;
}

export class SklearnTreeRandom {
  private state: number;

  constructor(seed: number) {
    // numpy's masked rejection sampling for randint(0, RAND_R_MAX): the first draw is accepted unless it is the maximum.
    let s = mt19937FirstOutput(seed) & RAND_R_MAX;
    if (s === RAND_R_MAX) s = 0;
    this.state = s >>> 0;
  }

  private next(): number {
    let s = this.state;
    if (s === 0) s = 1;
    s = (s ^ (s << 13)) >>> 0;
    s = (s ^ (s >>> 17)) >>> 0;
    s = (s ^ (s << 5)) >>> 0;
    this.state = s;
    return s % (RAND_R_MAX + 1);
  }

  /** Uniform integer in [low, high) the way sklearn's rand_int draws it (modulo, bias included). */
  int(low: number, high: number): number {
    return low + (this.next() % (high - low));
  }
}
