import { describe, expect, it } from '@jest/globals';
import type { DatasetProfile } from '@slipway/contracts';
import { OTHER_CATEGORY, profileBins, psi, psiOfCounts, PSI_EMPTY_BIN_SHARE, sumBinnedCounts, sumFeatureCounts } from '../drift';

/*
 * Golden values from numpy 1.24 (/usr/bin/python3), the same definition written independently:
 *   def psi(e, a, eps=1e-4):
 *       pe, pa = e / e.sum(), a / a.sum(); both = (pe == 0) & (pa == 0)
 *       pe, pa = np.maximum(pe, eps), np.maximum(pa, eps)
 *       t = (pa - pe) * np.log(pa / pe); t[both] = 0; return t.sum()
 *   rng = np.random.default_rng(7); x = rng.normal(0, 1, 5000); y = rng.normal(0.5, 1, 5000)
 *   np.histogram(np.clip(x, -4, 4), np.linspace(-4, 4, 11)) (and y): the counts below.
 */
const REFERENCE = [4, 32, 228, 831, 1470, 1405, 770, 223, 36, 1];
const SHIFTED = [0, 10, 88, 404, 1021, 1594, 1226, 524, 115, 18];
const EDGES = Array.from({ length: 11 }, (_, i) => -4 + 0.8 * i);

describe('PSI', () => {
  it('matches numpy on close distributions, empty bins, and a half-sigma shift', () => {
    expect(psiOfCounts([10, 20, 30, 40], [12, 18, 33, 37])).toBeCloseTo(0.010951793087256731, 12);
    expect(psiOfCounts([100, 0, 50, 0], [80, 20, 50, 0])).toBeCloseTo(0.9884245766312736, 12);
    expect(psiOfCounts(REFERENCE, SHIFTED)).toBeCloseTo(0.25434921681739275, 12);
  });

  it('is 0 for the same shape at any scale, and floors an empty bin to PSI_EMPTY_BIN_SHARE', () => {
    expect(psiOfCounts([1, 2, 3], [100, 200, 300])).toBeCloseTo(0, 15);
    const oneSided = psiOfCounts([1, 0], [1, 1]) as number;
    expect(oneSided).toBeCloseTo((0.5 - 1) * Math.log(0.5 / 1) + (0.5 - PSI_EMPTY_BIN_SHARE) * Math.log(0.5 / PSI_EMPTY_BIN_SHARE), 12);
    expect(Number.isFinite(oneSided)).toBe(true);
  });

  it('is null when a side has no observations, and refuses different bin counts', () => {
    expect(psiOfCounts([0, 0], [1, 2])).toBeNull();
    expect(psiOfCounts([1, 2], [0, 0])).toBeNull();
    expect(() => psiOfCounts([1, 2], [1, 2, 3])).toThrow(RangeError);
  });

  it('compares histograms only with the same edges, categories over the union of their values', () => {
    const a = { kind: 'histogram' as const, edges: EDGES, counts: REFERENCE };
    expect(psi(a, { kind: 'histogram', edges: EDGES, counts: SHIFTED })).toBeCloseTo(0.25434921681739275, 12);
    expect(psi(a, { kind: 'histogram', edges: EDGES.map((e) => e + 1), counts: SHIFTED })).toBeNull();
    expect(psi(a, { kind: 'categories', counts: { x: 1 } })).toBeNull();
    // {a:10,b:20,c:30,d:40} vs {a:12,b:18,c:33,d:37}, keys given in another order and one key missing on a side.
    expect(psi({ kind: 'categories', counts: { d: 40, c: 30, b: 20, a: 10 } }, { kind: 'categories', counts: { a: 12, b: 18, c: 33, d: 37 } })).toBeCloseTo(
      0.010951793087256731,
      12,
    );
    expect(psi({ kind: 'categories', counts: { a: 100, c: 50 } }, { kind: 'categories', counts: { a: 80, b: 20, c: 50 } })).toBeCloseTo(0.9884245766312736, 12);
  });
});

describe('summing windows', () => {
  it('adds histograms bin by bin and categories by key; refuses windows binned differently', () => {
    const h = (counts: number[]) => ({ kind: 'histogram' as const, edges: [0, 1, 2], counts });
    expect(sumBinnedCounts([h([1, 2]), h([3, 4])])).toEqual(h([4, 6]));
    expect(sumBinnedCounts([h([1, 2]), { kind: 'histogram', edges: [0, 1, 3], counts: [1, 1] }])).toBeNull();
    expect(
      sumBinnedCounts([
        { kind: 'categories', counts: { a: 1 } },
        { kind: 'categories', counts: { a: 2, b: 5 } },
      ]),
    ).toEqual({
      kind: 'categories',
      counts: { a: 3, b: 5 },
    });
    expect(sumBinnedCounts([])).toBeNull();
    expect(sumFeatureCounts([{ x: h([1, 0]) }, { x: h([0, 1]), y: { kind: 'categories', counts: { k: 1 } } }])).toEqual({
      x: h([1, 1]),
      y: { kind: 'categories', counts: { k: 1 } },
    });
  });
});

describe('profileBins', () => {
  it('takes numeric histograms and top values with the rest under __other__; leaves columns with neither out', () => {
    const profile: DatasetProfile = {
      rowCount: 10,
      columns: [
        { name: 'amount', type: 'number', count: 10, missing: 0, histogram: { edges: [0, 5, 10], counts: [6, 4] } },
        {
          name: 'country',
          type: 'categorical',
          count: 9,
          missing: 1,
          topValues: [
            { value: 'fr', count: 5 },
            { value: 'de', count: 3 },
          ],
        },
        { name: 'id', type: 'string', count: 10, missing: 0 },
      ],
    };
    expect(profileBins(profile)).toEqual({
      amount: { kind: 'histogram', edges: [0, 5, 10], counts: [6, 4] },
      country: { kind: 'categories', counts: { fr: 5, de: 3, [OTHER_CATEGORY]: 1 } },
    });
  });
});
