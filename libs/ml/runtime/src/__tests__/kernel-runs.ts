import * as tf from '@tensorflow/tfjs';
import { expect } from '@jest/globals';

/** Test support for the kernel specs: one kernel call, run as-is on whatever backend is active, and how far off it is. */
export type Shape4 = [number, number, number, number];
export type Pad4 = [[number, number], [number, number], [number, number], [number, number]];

/** Deterministic values in [-1, 1) so every backend sees identical inputs (and no ties in max-pooling). */
export function values(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let state = seed >>> 0;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

export const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

export interface KernelRun {
  kernel: string;
  inputs: Record<string, { values: Float32Array; shape: number[] }>;
  attrs: Record<string, unknown>;
}

/** The kernel on the active backend: its output's values and shape. */
export function runKernel(run: KernelRun): { values: Float32Array; shape: number[] } {
  return tf.tidy(() => {
    const inputs = Object.fromEntries(Object.entries(run.inputs).map(([name, t]) => [name, tf.tensor(t.values, t.shape)]));
    const result = tf.engine().runKernel(run.kernel, inputs, run.attrs as never) as tf.Tensor;
    return { values: result.dataSync() as Float32Array, shape: result.shape };
  });
}

/** The worst error of `actual` against `expected`, relative to the expected output's scale (at least 1). */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let scale = 1;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let maxAbs = 0;
  for (let i = 0; i < expected.length; i++) maxAbs = Math.max(maxAbs, Math.abs(actual[i] - expected[i]));
  return maxAbs / scale;
}

/**
 * A MaxPoolGrad run on input `x`: the forward max-pool's output (computed on the active backend) and a dy of its
 * shape, drawn from `dySeed`.
 */
export function maxPoolGradRun(
  x: Float32Array,
  shape: Shape4,
  attrs: { filterSize: number | [number, number]; strides: number | [number, number]; pad: 'same' | 'valid' | number },
  dySeed: number,
): KernelRun {
  const output = tf.tidy(() => tf.maxPool(tf.tensor4d(x, shape), attrs.filterSize, attrs.strides, attrs.pad));
  const outShape = output.shape;
  const outputValues = output.dataSync() as Float32Array;
  output.dispose();
  return {
    kernel: 'MaxPoolGrad',
    inputs: {
      dy: { values: values(sizeOf(outShape), dySeed), shape: outShape },
      input: { values: x, shape },
      output: { values: outputValues, shape: outShape },
    },
    attrs,
  };
}
