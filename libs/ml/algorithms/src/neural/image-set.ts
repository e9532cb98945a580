import { assertFinite, MlInputError, MlInputErrorCode, requireInteger } from '../common';

/** Images in NHWC order: `data[((i * height + y) * width + x) * channels + c]`. */
export interface ImageSet {
  data: Float32Array | Float64Array | readonly number[];
  count: number;
  height: number;
  width: number;
  channels: number;
}

export type ImageShape = [height: number, width: number, channels: number];

/** Checks sizes and values once at the boundary; returns the pixels as float32. */
export function validateImageSet(images: ImageSet, argument = 'images'): { pixels: Float32Array; shape: ImageShape; count: number } {
  if (!images || typeof images !== 'object' || images.data === undefined) {
    throw new MlInputError(MlInputErrorCode.EMPTY_INPUT, argument, 'must be { data, count, height, width, channels }');
  }
  requireInteger(images.height, `${argument}.height`, 1, 4096);
  requireInteger(images.width, `${argument}.width`, 1, 4096);
  requireInteger(images.channels, `${argument}.channels`, 1, 64);
  if (!Number.isInteger(images.count) || images.count < 0) {
    throw new MlInputError(MlInputErrorCode.SHAPE_MISMATCH, `${argument}.count`, `must be a non-negative integer, got ${images.count}`);
  }
  if (images.count === 0 || images.data.length === 0) throw new MlInputError(MlInputErrorCode.EMPTY_INPUT, argument, 'has no images');
  const perImage = images.height * images.width * images.channels;
  if (images.data.length !== images.count * perImage) {
    throw new MlInputError(
      MlInputErrorCode.SHAPE_MISMATCH,
      `${argument}.data`,
      `has ${images.data.length} values but count × height × width × channels = ${images.count} × ${images.height} × ${images.width} × ${images.channels} = ${images.count * perImage}`,
    );
  }
  assertFinite(images.data, `${argument}.data`, perImage);
  return { pixels: Float32Array.from(images.data), shape: [images.height, images.width, images.channels], count: images.count };
}

/** Per-channel mean and population std of the training images (std 1 for a constant channel). */
export function channelStatistics(pixels: Float32Array, channels: number): { mean: number[]; scale: number[] } {
  const sums = new Float64Array(channels);
  const count = pixels.length / channels;
  for (let i = 0; i < pixels.length; i++) sums[i % channels] += pixels[i];
  const mean = Array.from(sums, (s) => s / count);
  const squares = new Float64Array(channels);
  for (let i = 0; i < pixels.length; i++) squares[i % channels] += (pixels[i] - mean[i % channels]) ** 2;
  const scale = Array.from(squares, (s) => {
    const std = Math.sqrt(s / count);
    return std > 1e-12 ? std : 1;
  });
  return { mean, scale };
}

export function standardizeChannels(pixels: Float32Array, mean: readonly number[], scale: readonly number[]): Float32Array {
  const channels = mean.length;
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) {
    const c = i % channels;
    out[i] = (pixels[i] - mean[c]) / scale[c];
  }
  return out;
}
