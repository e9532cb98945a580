import { describe, expect, it } from '@jest/globals';
import { downsample, mergeSeriesByStep, seriesColor } from '../chart-data';

describe('chart data', () => {
  it('merges series into one row per step, leaving gaps where a series has no point', () => {
    expect(
      mergeSeriesByStep([
        [
          { step: 0, value: 1 },
          { step: 2, value: 0.5 },
        ],
        [
          { step: 1, value: 0.9 },
          { step: 2, value: 0.4 },
        ],
      ]),
    ).toEqual([
      { step: 0, s0: 1 },
      { step: 1, s1: 0.9 },
      { step: 2, s0: 0.5, s1: 0.4 },
    ]);
  });

  it('leaves out non-finite points (a diverged run) instead of handing them to the chart', () => {
    expect(
      mergeSeriesByStep([
        [
          { step: 0, value: 1 },
          { step: 1, value: 'NaN' },
          { step: 2, value: 'Infinity' },
          { step: 3, value: Number.NaN },
        ],
        [
          { step: 1, value: '-Infinity' },
          { step: 2, value: 0.4 },
        ],
      ]),
    ).toEqual([
      { step: 0, s0: 1 },
      { step: 2, s1: 0.4 },
    ]);
  });

  it('downsamples evenly, keeping the first and last point', () => {
    const points = Array.from({ length: 1001 }, (_, i) => i);
    const out = downsample(points, 11);
    expect(out).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(downsample([1, 2, 3], 10)).toEqual([1, 2, 3]);
  });

  it('gives 50 series 50 different colours', () => {
    expect(new Set(Array.from({ length: 50 }, (_, i) => seriesColor(i))).size).toBe(50);
  });
});
