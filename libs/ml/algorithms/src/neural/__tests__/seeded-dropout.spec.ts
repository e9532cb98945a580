import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@slipway/ml-runtime';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { SeededDropout } from '../seeded-dropout';

function masks(layer: SeededDropout, calls: number, training: boolean): number[][] {
  const x = tf.ones([1, 200]);
  const out: number[][] = [];
  for (let i = 0; i < calls; i++) {
    const y = layer.apply(x, { training }) as tf.Tensor;
    out.push(Array.from(y.dataSync()));
    y.dispose();
  }
  x.dispose();
  return out;
}

describe('SeededDropout', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });

  it('drops about `rate` of the units in training, a new mask each call, the same sequence for the same seed', () => {
    const [first, second] = masks(new SeededDropout({ name: 'd', rate: 0.5, seed: 11 }), 2, true);
    const dropped = first.filter((v) => v === 0).length;
    expect(dropped).toBeGreaterThan(60);
    expect(dropped).toBeLessThan(140);
    expect(first.every((v) => v === 0 || v === 2)).toBe(true);
    expect(second).not.toEqual(first);
    expect(masks(new SeededDropout({ name: 'd', rate: 0.5, seed: 11 }), 2, true)).toEqual([first, second]);
  });

  it('is the identity at inference and serialises as a standard Dropout layer', () => {
    const layer = new SeededDropout({ name: 'drop', rate: 0.3, seed: 1 });
    expect(masks(layer, 1, false)[0].every((v) => v === 1)).toBe(true);
    expect(layer.getClassName()).toBe('Dropout');
    expect(layer.getConfig()).toMatchObject({ name: 'drop', rate: 0.3, noiseShape: null, seed: null });
  });
});
