import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import wabtInit from 'wabt';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import { selectBackend } from '../..';
import { setTrainingSimdEnabled, trainingSimd } from '../training-simd';
import { TRAINING_SIMD_WASM_BASE64 } from '../training-simd.wasm';
import { type KernelRun, maxPoolGradRun, type Pad4, relativeError, runKernel, type Shape4, sizeOf, values } from '../../__tests__/kernel-runs';

/** The kernel on the cpu backend (reference), on wasm with the SIMD kernels and on wasm with the JavaScript fallback. */
async function threeWays(run: KernelRun): Promise<{ cpu: Float32Array; simd: Float32Array; js: Float32Array; shapes: number[][] }> {
  await tf.setBackend('cpu');
  const cpu = runKernel(run);
  await tf.setBackend('wasm');
  const simd = runKernel(run);
  setTrainingSimdEnabled(false);
  const js = runKernel(run);
  setTrainingSimdEnabled(true);
  return { cpu: cpu.values, simd: simd.values, js: js.values, shapes: [cpu.shape, simd.shape, js.shape] };
}

const sameBits = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('WebAssembly SIMD training kernels (training-simd.wat)', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });
  afterEach(() => {
    setTrainingSimdEnabled(true);
  });

  it('committed binary is what training-simd.wat assembles to (regenerate: node tools/wasm/build-training-simd.mjs)', async () => {
    const wabt = await wabtInit();
    const mod = wabt.parseWat('training-simd.wat', readFileSync(join(__dirname, '..', 'training-simd.wat'), 'utf8'), { simd: true });
    try {
      mod.validate();
      const bytes = Buffer.from(mod.toBinary({ log: false, write_debug_names: false }).buffer);
      expect(Buffer.from(TRAINING_SIMD_WASM_BASE64, 'base64').equals(bytes)).toBe(true);
    } finally {
      mod.destroy();
    }
  });

  it('are used on this Node (SIMD and the backend heap are available)', () => {
    expect(trainingSimd(tf.engine().backend)).not.toBeNull();
    setTrainingSimdEnabled(false);
    expect(trainingSimd(tf.engine().backend)).toBeNull();
  });

  // Channel counts covering the 4-channel transposes (4, 8), their scalar remainder (5, 6), the 3-channel
  // stride-1 shuffles (3) and the scalar path (1, 2); widths that are and are not multiples of 4.
  const FILTER_CASES: Array<{ x: Shape4; filter: Shape4 }> = [
    { x: [2, 9, 10, 3], filter: [3, 3, 3, 4] },
    { x: [2, 8, 8, 4], filter: [3, 3, 4, 3] },
    { x: [1, 7, 13, 8], filter: [3, 2, 8, 2] },
    { x: [2, 6, 9, 5], filter: [2, 3, 5, 3] },
    { x: [1, 10, 7, 6], filter: [5, 5, 6, 2] },
    { x: [3, 5, 6, 1], filter: [3, 3, 1, 2] },
    { x: [1, 12, 12, 32], filter: [3, 3, 32, 4] },
  ];
  const STRIDES: Array<number | [number, number]> = [1, 2, [1, 3], [2, 1]];
  const PADS: Array<'same' | 'valid' | Pad4> = [
    'same',
    'valid',
    [
      [0, 0],
      [2, 1],
      [0, 3],
      [0, 0],
    ],
  ];

  it('im2col: Conv2DBackpropFilter with SIMD is bit-identical to the JavaScript path and matches the cpu backend', async () => {
    let n = 0;
    for (const c of FILTER_CASES) {
      for (const strides of STRIDES) {
        for (const pad of PADS) {
          const dyShape = tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, strides, pad).shape);
          const r = await threeWays({
            kernel: 'Conv2DBackpropFilter',
            inputs: { x: { values: values(sizeOf(c.x), 11 + n), shape: c.x }, dy: { values: values(sizeOf(dyShape), 500 + n), shape: dyShape } },
            attrs: { strides, pad, dataFormat: 'NHWC', filterShape: c.filter },
          });
          n++;
          const label = JSON.stringify({ ...c, strides, pad });
          expectNamed(sameBits(r.simd, r.js), label).toBe(true);
          expectNamed(relativeError(r.simd, r.cpu), label).toBeLessThan(1e-5);
        }
      }
    }
  });

  it('MaxPoolGrad with SIMD (non-overlapping windows, channels % 4 = 0) matches the JavaScript path and the cpu backend', async () => {
    const shapes: Shape4[] = [
      [2, 8, 8, 4],
      [1, 7, 9, 8],
      [3, 5, 6, 12],
      [2, 16, 16, 32],
    ];
    const pools: Array<{ filterSize: number | [number, number]; strides: number | [number, number] }> = [
      { filterSize: 2, strides: 2 },
      { filterSize: 3, strides: 3 },
      { filterSize: [2, 3], strides: [2, 3] },
      { filterSize: 2, strides: 3 },
      { filterSize: [1, 2], strides: [2, 2] },
      // overlapping windows: the JavaScript path, also with channels % 4 = 0
      { filterSize: 3, strides: 2 },
    ];
    let n = 0;
    for (const shape of shapes) {
      for (const { filterSize, strides } of pools) {
        for (const [pad, ties] of [
          ['same', false],
          ['valid', false],
          [1, false],
          ['valid', true],
          ['same', true],
        ] as Array<['same' | 'valid' | number, boolean]>) {
          // With ties (values on a grid of 3 levels) the first maximum in row-major order must win.
          const x = values(sizeOf(shape), 6000 + n++).map((v) => (ties ? Math.round(v) : v));
          const r = await threeWays(maxPoolGradRun(x, shape, { filterSize, strides, pad }, 7000 + n));
          const label = JSON.stringify({ shape, filterSize, strides, pad, ties });
          expectNamed(relativeError(r.simd, r.js), label).toBe(0);
          expectNamed(relativeError(r.simd, r.cpu), label).toBeLessThan(1e-6);
        }
      }
    }
  });

  it('Sum over every axis but the last (bias gradients) matches the shipped kernel and the cpu backend', async () => {
    const cases: Array<{ shape: number[]; axis: number | number[]; keepDims: boolean }> = [
      { shape: [64, 16, 16, 32], axis: [0, 1, 2], keepDims: false },
      { shape: [8, 5, 7, 6], axis: [2, 0, 1], keepDims: true },
      { shape: [300, 10], axis: 0, keepDims: false },
      { shape: [33, 3], axis: -2, keepDims: true },
      { shape: [4, 6, 9], axis: [-3, 1], keepDims: false },
      // not a bias gradient: the shipped kernel
      { shape: [4, 6, 8], axis: [0, 2], keepDims: false },
      { shape: [5, 8], axis: 1, keepDims: false },
    ];
    for (const [i, c] of cases.entries()) {
      const r = await threeWays({
        kernel: 'Sum',
        inputs: { x: { values: values(sizeOf(c.shape), 8000 + i), shape: c.shape } },
        attrs: { axis: c.axis, keepDims: c.keepDims },
      });
      const label = JSON.stringify(c);
      expectNamed(r.shapes[1], label).toEqual(r.shapes[0]);
      expectNamed(r.shapes[2], label).toEqual(r.shapes[0]);
      expectNamed(relativeError(r.simd, r.cpu), label).toBeLessThan(1e-5);
      expectNamed(relativeError(r.simd, r.js), label).toBeLessThan(1e-5);
    }
  });

  it('free everything they allocate on the wasm heap', () => {
    const before = tf.engine().backend.numDataIds();
    runKernel({ kernel: 'Sum', inputs: { x: { values: values(4 * 5 * 8, 1), shape: [4, 5, 8] } }, attrs: { axis: [0, 1], keepDims: false } });
    runKernel({
      kernel: 'MaxPoolGrad',
      inputs: {
        dy: { values: values(2 * 2 * 2 * 4, 2), shape: [2, 2, 2, 4] },
        input: { values: values(2 * 4 * 4 * 4, 3), shape: [2, 4, 4, 4] },
        output: { values: values(2 * 2 * 2 * 4, 4), shape: [2, 2, 2, 4] },
      },
      attrs: { filterSize: 2, strides: 2, pad: 'valid' },
    });
    expect(tf.engine().backend.numDataIds()).toBe(before);
  });
});
