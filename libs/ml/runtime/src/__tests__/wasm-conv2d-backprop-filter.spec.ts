import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, selectBackend } from '..';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
}

/** Deterministic values in [-1, 1) so both backends see identical inputs. */
function values(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let state = seed >>> 0;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

function backpropFilter(c: Case, x: Float32Array, dy: Float32Array, dyShape: number[]): Float32Array {
  return tf.tidy(() => {
    const result = tf.engine().runKernel(
      'Conv2DBackpropFilter',
      { x: tf.tensor4d(x, c.x), dy: tf.tensor(dy, dyShape) },
      { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: c.filter } as never,
    ) as tf.Tensor;
    return result.dataSync() as Float32Array;
  });
}

const SHAPES: Array<Pick<Case, 'x' | 'filter'>> = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4] },
  { x: [1, 8, 9, 2], filter: [3, 2, 2, 5] },
  { x: [3, 6, 6, 1], filter: [5, 5, 1, 2] },
  { x: [2, 5, 5, 4], filter: [1, 1, 4, 3] },
  { x: [1, 11, 10, 3], filter: [4, 4, 3, 2] },
];
const STRIDES: Array<number | [number, number]> = [1, 2, 3, [1, 2], [2, 3]];
const PADS: Pad[] = ['same', 'valid', [[0, 0], [1, 2], [2, 0], [0, 0]], [[0, 0], [0, 0], [3, 1], [0, 0]]];

const CASES: Case[] = SHAPES.flatMap((shape) =>
  STRIDES.flatMap((strides) =>
    PADS.map((pad) => ({ ...shape, strides, pad }))
      // 'valid' with a filter larger than the padded input has no output positions.
      .filter((c) => c.pad !== 'valid' || (c.filter[0] <= c.x[1] && c.filter[1] <= c.x[2])),
  ),
);

describe('Conv2DBackpropFilter on wasm', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });

  it('is registered once, and a second registration is a no-op', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(registerWasmTrainingKernels()).toEqual([]);
  });

  it(`matches the cpu backend's kernel over ${CASES.length} shape/stride/padding cases`, async () => {
    let worstRelative = 0;
    for (const [index, c] of CASES.entries()) {
      const x = values(c.x.reduce((a, b) => a * b, 1), 7 + index);
      const dyShape = tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad).shape);
      const dy = values(dyShape.reduce((a, b) => a * b, 1), 1000 + index);

      await tf.setBackend('cpu');
      const expected = backpropFilter(c, x, dy, dyShape);
      await tf.setBackend('wasm');
      const actual = backpropFilter(c, x, dy, dyShape);

      expect(actual.length).toBe(expected.length);
      const scale = Math.max(1, ...Array.from(expected, Math.abs));
      let maxAbs = 0;
      for (let i = 0; i < expected.length; i++) maxAbs = Math.max(maxAbs, Math.abs(actual[i] - expected[i]));
      worstRelative = Math.max(worstRelative, maxAbs / scale);
      expect(maxAbs / scale, JSON.stringify(c)).toBeLessThan(1e-5);
    }
    expect(worstRelative).toBeLessThan(1e-5);
  });

  it('frees everything it allocates on the wasm heap', () => {
    const c: Case = { x: [4, 9, 9, 3], filter: [3, 3, 3, 8], strides: 2, pad: 'same' };
    const before = tf.engine().backend.numDataIds();
    const result = backpropFilter(c, values(4 * 9 * 9 * 3, 1), values(4 * 5 * 5 * 8, 2), [4, 5, 5, 8]);
    expect(result).toHaveLength(3 * 3 * 3 * 8);
    expect(tf.engine().backend.numDataIds()).toBe(before);
  });

  it('lets a Conv2D → MaxPool → Dropout → Dense model train on wasm (every training kernel present)', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
        tf.layers.flatten(),
        tf.layers.dropout({ rate: 0.2, seed: 3 }),
        tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const xs = tf.tensor4d(values(24 * 64, 5), [24, 8, 8, 1]);
    const ys = tf.oneHot(tf.tensor1d(Array.from({ length: 24 }, (_, i) => i % 3), 'int32'), 3);
    const history = await model.fit(xs, ys, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    expect(history.history['loss']).toHaveLength(3);
    expect(history.history['loss'].every((loss) => Number.isFinite(loss as number))).toBe(true);
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
