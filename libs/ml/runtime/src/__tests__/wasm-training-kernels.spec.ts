import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import { registerWasmTrainingKernels, selectBackend } from '..';
import { type KernelRun, maxPoolGradRun, type Pad4, relativeError, runKernel, type Shape4, sizeOf, values } from './kernel-runs';

type Pad = 'same' | 'valid' | Pad4;

/** Runs the kernel on cpu (the reference) and on wasm; returns the worst error relative to the output's scale. */
async function compareWithCpu(run: KernelRun): Promise<number> {
  await tf.setBackend('cpu');
  const expected = runKernel(run).values;
  await tf.setBackend('wasm');
  return relativeError(runKernel(run).values, expected);
}

/** Output shape of a forward op, computed on whatever backend is active. */
function shapeOf(f: () => tf.Tensor): number[] {
  return tf.tidy(() => f().shape);
}

const CONV_SHAPES: Array<{ x: Shape4; filter: Shape4 }> = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4] },
  { x: [1, 8, 9, 2], filter: [3, 2, 2, 5] },
  { x: [3, 6, 6, 1], filter: [5, 5, 1, 2] },
  { x: [2, 5, 5, 4], filter: [1, 1, 4, 3] },
  { x: [1, 11, 10, 3], filter: [4, 4, 3, 2] },
];
const STRIDES: Array<number | [number, number]> = [1, 2, 3, [1, 2], [2, 3]];
const PADS: Pad[] = [
  'same',
  'valid',
  [
    [0, 0],
    [1, 2],
    [2, 0],
    [0, 0],
  ],
  [
    [0, 0],
    [0, 0],
    [3, 1],
    [0, 0],
  ],
];
const CONV_CASES = CONV_SHAPES.flatMap((shape) =>
  STRIDES.flatMap((strides) =>
    PADS.map((pad) => ({ ...shape, strides, pad }))
      // 'valid' with a filter larger than the input has no output positions.
      .filter((c) => c.pad !== 'valid' || (c.filter[0] <= c.x[1] && c.filter[1] <= c.x[2])),
  ),
);

describe('wasm training kernels', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });

  it('are registered once; a second registration changes nothing', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(registerWasmTrainingKernels()).toEqual([]);
  });

  it(`Conv2DBackpropFilter matches the cpu backend over ${CONV_CASES.length} shape/stride/padding cases`, async () => {
    for (const [i, c] of CONV_CASES.entries()) {
      const dyShape = shapeOf(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad));
      const error = await compareWithCpu({
        kernel: 'Conv2DBackpropFilter',
        inputs: { x: { values: values(sizeOf(c.x), 7 + i), shape: c.x }, dy: { values: values(sizeOf(dyShape), 1000 + i), shape: dyShape } },
        attrs: { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter },
      });
      expectNamed(error, JSON.stringify(c)).toBeLessThan(1e-5);
    }
  });

  it(`Conv2DBackpropInput matches the cpu backend over ${CONV_CASES.length} shape/stride/padding cases`, async () => {
    for (const [i, c] of CONV_CASES.entries()) {
      const dyShape = shapeOf(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad));
      const error = await compareWithCpu({
        kernel: 'Conv2DBackpropInput',
        inputs: { dy: { values: values(sizeOf(dyShape), 2000 + i), shape: dyShape }, filter: { values: values(sizeOf(c.filter), 3000 + i), shape: c.filter } },
        attrs: { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x },
      });
      expectNamed(error, JSON.stringify(c)).toBeLessThan(1e-5);
    }
  });

  it('MaxPoolGrad matches the cpu backend over filter sizes, strides and paddings', async () => {
    const shapes: Shape4[] = [
      [2, 8, 8, 3],
      [1, 7, 9, 2],
      [3, 5, 5, 1],
    ];
    let n = 0;
    for (const shape of shapes) {
      for (const filterSize of [2, 3, [2, 3]] as Array<number | [number, number]>) {
        for (const strides of [1, 2, 3] as number[]) {
          for (const pad of ['same', 'valid', 1] as Array<'same' | 'valid' | number>) {
            const x = values(sizeOf(shape), 4000 + n++);
            const error = await compareWithCpu(maxPoolGradRun(x, shape, { filterSize, strides, pad }, 5000 + n));
            expectNamed(error, JSON.stringify({ shape, filterSize, strides, pad })).toBeLessThan(1e-6);
          }
        }
      }
    }
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('BatchMatMul with transposeA=%s, transposeB=%s matches the cpu backend (rank 2 and batched)', async (transposeA, transposeB) => {
    for (const [batch, m, k, n] of [
      [[], 5, 7, 3],
      [[2], 4, 6, 5],
      [[2, 3], 3, 2, 4],
    ] as Array<[number[], number, number, number]>) {
      const aShape = [...batch, ...(transposeA ? [k, m] : [m, k])];
      const bShape = [...batch, ...(transposeB ? [n, k] : [k, n])];
      const error = await compareWithCpu({
        kernel: 'BatchMatMul',
        inputs: { a: { values: values(sizeOf(aShape), m * 31 + k), shape: aShape }, b: { values: values(sizeOf(bShape), n * 17 + k), shape: bShape } },
        attrs: { transposeA, transposeB },
      });
      expect(error).toBeLessThan(1e-6);
    }
  });

  it('free everything they allocate on the wasm heap', () => {
    const before = tf.engine().backend.numDataIds();
    const run = (kernel: string, inputs: KernelRun['inputs'], attrs: KernelRun['attrs']) => runKernel({ kernel, inputs, attrs });
    run(
      'Conv2DBackpropFilter',
      { x: { values: values(4 * 9 * 9 * 3, 1), shape: [4, 9, 9, 3] }, dy: { values: values(4 * 5 * 5 * 8, 2), shape: [4, 5, 5, 8] } },
      {
        strides: 2,
        pad: 'same',
        dataFormat: 'NHWC',
        filterShape: [3, 3, 3, 8],
      },
    );
    run(
      'Conv2DBackpropInput',
      { dy: { values: values(4 * 5 * 5 * 8, 3), shape: [4, 5, 5, 8] }, filter: { values: values(3 * 3 * 3 * 8, 4), shape: [3, 3, 3, 8] } },
      {
        strides: 2,
        pad: 'same',
        dataFormat: 'NHWC',
        inputShape: [4, 9, 9, 3],
      },
    );
    // Stride 1 goes through the backend's Conv2D with a flipped filter instead of col2im.
    run(
      'Conv2DBackpropInput',
      { dy: { values: values(4 * 9 * 9 * 8, 7), shape: [4, 9, 9, 8] }, filter: { values: values(3 * 3 * 3 * 8, 8), shape: [3, 3, 3, 8] } },
      {
        strides: 1,
        pad: 'same',
        dataFormat: 'NHWC',
        inputShape: [4, 9, 9, 3],
      },
    );
    run('BatchMatMul', { a: { values: values(12, 5), shape: [4, 3] }, b: { values: values(8, 6), shape: [2, 4] } }, { transposeA: true, transposeB: true });
    expect(tf.engine().backend.numDataIds()).toBe(before);
  });

  it('let a Conv2D → MaxPool → Dropout → Dense model train on wasm (every training kernel present)', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [8, 8, 1],
          filters: 4,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({
          filters: 4,
          kernelSize: 3,
          strides: 2,
          padding: 'valid',
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
        }),
        tf.layers.flatten(),
        tf.layers.dropout({ rate: 0.2, seed: 3 }),
        tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const xs = tf.tensor4d(values(24 * 64, 5), [24, 8, 8, 1]);
    const ys = tf.oneHot(
      tf.tensor1d(
        Array.from({ length: 24 }, (_, i) => i % 3),
        'int32',
      ),
      3,
    );
    const history = await model.fit(xs, ys, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    expect(history.history['loss']).toHaveLength(3);
    expect(history.history['loss'].every((loss) => Number.isFinite(loss as number))).toBe(true);
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
