import * as tf from '@tensorflow/tfjs';
import { expect } from '@jest/globals';
import { createRandom, MlInputError, type MlInputErrorCode } from '../../common';
import type { ArtifactFiles } from '../artifact';
import type { ImageSet } from '../image-set';

/** y = 3·x0 − 2·x1 + 0.5·x2 + small noise, seeded. */
export function linearProblem(nRows: number, seed = 1): { X: number[][]; y: number[] } {
  const random = createRandom(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < nRows; i++) {
    const row = [random.next() * 4 - 2, random.next() * 4 - 2, random.next() * 4 - 2];
    X.push(row);
    y.push(3 * row[0] - 2 * row[1] + 0.5 * row[2] + 10 + (random.next() - 0.5) * 0.01);
  }
  return { X, y };
}

/**
 * Images whose class is the bright quadrant (0 top-left, 1 top-right, 2 bottom-left), on a noisy
 * background: learnable in a few epochs by any CNN.
 */
export function quadrantImages(count: number, size: number, channels: number, seed = 2): { images: ImageSet; labels: number[] } {
  const random = createRandom(seed);
  const data = new Float32Array(count * size * size * channels);
  const labels: number[] = [];
  const half = size / 2;
  for (let i = 0; i < count; i++) {
    const label = i % 3;
    labels.push(label);
    const oy = label === 2 ? half : 0;
    const ox = label === 1 ? half : 0;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const bright = y >= oy && y < oy + half && x >= ox && x < ox + half;
        for (let c = 0; c < channels; c++) {
          data[((i * size + y) * size + x) * channels + c] = (bright ? 12 : 2) + random.next() * 4;
        }
      }
    }
  }
  return { images: { data, count, height: size, width: size, channels }, labels };
}

/** Loads model.json + weights.bin with nothing but tfjs's own loader, as a browser would. */
export async function loadWithPlainTfjs(files: ArtifactFiles): Promise<tf.LayersModel> {
  const modelJson = JSON.parse(new TextDecoder().decode(files.get('model.json'))) as tf.io.ModelJSON;
  const weights = files.get(modelJson.weightsManifest[0].paths[0]) as Uint8Array;
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return tf.loadLayersModel({
    load: () => tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => [tf.io.getWeightSpecs(manifest), weightData]),
  });
}

export function expectSameFiles(a: ArtifactFiles, b: ArtifactFiles): { name: string; equal: boolean }[] {
  return [...a.keys()].map((name) => ({
    name,
    equal: Buffer.compare(Buffer.from(a.get(name) as Uint8Array), Buffer.from(b.get(name) ?? new Uint8Array())) === 0,
  }));
}

/** `action` (a promise, or a function that throws or rejects) fails with an MlInputError of this code, naming this argument. */
export async function expectInputError(action: Promise<unknown> | (() => unknown), code: MlInputErrorCode, argument: string): Promise<void> {
  const error = await (typeof action === 'function' ? Promise.resolve().then(action) : action).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MlInputError);
  expect((error as MlInputError).code).toBe(code);
  expect((error as MlInputError).argument).toBe(argument);
}
