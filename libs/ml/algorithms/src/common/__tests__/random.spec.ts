import { describe, expect, it } from '@jest/globals';
import { createRandom, shuffleInPlace } from '../random';

describe('createRandom', () => {
  it('is reproducible per seed and roughly uniform', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(createRandom(43).next()).not.toBe(xs[0]);
    const r = createRandom(1);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) buckets[r.int(10)]++;
    for (const count of buckets) expect(Math.abs(count - 1000)).toBeLessThan(150);
  });
  it('shuffles into a permutation', () => {
    const v = shuffleInPlace(
      Int32Array.from({ length: 20 }, (_, i) => i),
      createRandom(3),
    );
    expect(Array.from(v).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(Array.from(v)).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
