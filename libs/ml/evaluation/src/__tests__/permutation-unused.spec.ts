import { describe, expect, it } from '@jest/globals';
import { accuracy, permutationImportance, type MatrixLike } from '..';

describe('permutationImportance: unusedFeatures', () => {
  it('gives the same result as scoring every column, with fewer calls to score', async () => {
    // Three columns; the "model" reads x0 and x2 only, so x1's drops are 0 whether scored or not.
    const n = 150;
    const data = new Float64Array(n * 3);
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      data[3 * i] = Math.sin(i * 12.9898);
      data[3 * i + 1] = Math.cos(i * 78.233);
      data[3 * i + 2] = Math.sin(i * 3.1);
      y.push(data[3 * i] + 0.5 * data[3 * i + 2] > 0 ? 1 : 0);
    }
    let calls = 0;
    const score = (x: MatrixLike, t: ArrayLike<number>): number => {
      calls++;
      return accuracy(
        t,
        Array.from({ length: x.nRows }, (_, i) => (x.data[i * 3] + 0.5 * x.data[i * 3 + 2] > 0 ? 1 : 0)),
      );
    };
    const options = { features: { data, nRows: n, nFeatures: 3 }, targets: y, score, nRepeats: 4, seed: 3 };
    const full = await permutationImportance(options);
    const fullCalls = calls;
    calls = 0;
    const skipping = await permutationImportance({ ...options, unusedFeatures: [1] });
    expect(skipping).toEqual(full);
    expect([fullCalls, calls]).toEqual([1 + 3 * 4, 1 + 2 * 4]);
    expect(skipping.importances[1]).toEqual([0, 0, 0, 0]);
    expect(skipping.importancesMean[0]).toBeGreaterThan(0);
  });
});
