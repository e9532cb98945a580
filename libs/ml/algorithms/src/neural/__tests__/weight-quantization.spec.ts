import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@slipway/ml-runtime';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { createImageAugmenter } from '../image-augmentation';
import { float32ToFloat16Bits, quantizeWeights } from '../weight-quantization';
import { createRandom } from '../../common';

beforeAll(async () => {
  await selectBackend({ force: 'wasm' });
});

describe('float32ToFloat16Bits', () => {
  it.each([
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff],
    [65520, 0x7c00],
    [1e9, 0x7c00],
    [2 ** -24, 0x0001],
    [2 ** -26, 0x0000],
    [6.103515625e-5, 0x0400],
    [1 + 2 ** -11, 0x3c00],
    [1 + 3 * 2 ** -11, 0x3c02],
    [Number.NEGATIVE_INFINITY, 0xfc00],
    [Number.NaN, 0x7e00],
  ])('%d → 0x%s', (value, bits) => {
    expect(float32ToFloat16Bits(value)).toBe(bits);
  });
});

describe('quantizeWeights', () => {
  const values = Float32Array.from({ length: 500 }, (_, i) => Math.sin(i) * 3 - 0.25);
  const specs: tf.io.WeightsManifestEntry[] = [
    { name: 'a', shape: [20, 20], dtype: 'float32' },
    { name: 'b', shape: [100], dtype: 'float32' },
  ];

  it.each([
    ['float16', 2, 2e-3],
    ['uint8', 1, 6 / 255 / 2 + 1e-6],
  ] as const)('%s decodes through tfjs within its precision', (quantization, bytesPerValue, tolerance) => {
    const out = quantizeWeights(specs, values.buffer, quantization);
    expect(out.data.length).toBe(500 * bytesPerValue);
    const decoded = tf.io.decodeWeights(out.data.buffer.slice(0) as ArrayBuffer, out.specs);
    const all = [...decoded['a'].dataSync(), ...decoded['b'].dataSync()];
    const worst = Math.max(...all.map((v, i) => Math.abs(v - values[i])));
    expect(worst).toBeLessThanOrEqual(tolerance);
    tf.dispose(Object.values(decoded));
  });

  it('keeps float32 weights untouched with no quantization', () => {
    const out = quantizeWeights(specs, values.buffer, 'none');
    expect(out.specs).toBe(specs);
    expect(new Float32Array(out.data.buffer)).toEqual(values);
  });
});

describe('createImageAugmenter', () => {
  it('flips and shifts with zero fill, seeded', () => {
    // 3×3×1 image 1..9; find draws that flip with no shift, and shift without flip.
    const image = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const flipOnly = createImageAugmenter([3, 3, 1], { flipHorizontal: true, maxShift: 0 });
    const results = new Set<string>();
    const random = createRandom(5);
    for (let i = 0; i < 20; i++) {
      const sample = image.slice();
      flipOnly(sample, random);
      results.add(Array.from(sample).join(','));
    }
    expect([...results].sort()).toEqual(['1,2,3,4,5,6,7,8,9', '3,2,1,6,5,4,9,8,7']);

    const shiftOnly = createImageAugmenter([3, 3, 1], { flipHorizontal: false, maxShift: 1 });
    const shifted = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const sample = image.slice();
      shiftOnly(sample, random);
      shifted.add(Array.from(sample).join(','));
    }
    expect(shifted.size).toBe(9);
    expect(shifted).toContain('0,0,0,1,2,3,4,5,6');
    expect(shifted).toContain('5,6,0,8,9,0,0,0,0');
  });
});
