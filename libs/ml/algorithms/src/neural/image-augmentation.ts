import type { Random } from '../common';
import type { ImageShape } from './image-set';

export interface AugmentationOptions {
  /** Mirror left-right with probability 1/2 (not for digits or text, where it changes the class). */
  flipHorizontal: boolean;
  /** Translate by up to this many pixels in each direction, filling with 0 (the channel mean after standardisation). */
  maxShift: number;
}

/** Returns an in-place augmenter for one standardised HWC image, drawing from the given seeded stream. */
export function createImageAugmenter(shape: ImageShape, options: AugmentationOptions): (sample: Float32Array, random: Random) => void {
  const [height, width, channels] = shape;
  const scratch = new Float32Array(height * width * channels);
  return (sample, random) => {
    const flip = options.flipHorizontal && random.next() < 0.5;
    const range = 2 * options.maxShift + 1;
    const dy = options.maxShift > 0 ? random.int(range) - options.maxShift : 0;
    const dx = options.maxShift > 0 ? random.int(range) - options.maxShift : 0;
    if (!flip && dx === 0 && dy === 0) return;
    scratch.fill(0);
    for (let y = 0; y < height; y++) {
      const sy = y - dy;
      if (sy < 0 || sy >= height) continue;
      for (let x = 0; x < width; x++) {
        const shiftedX = x - dx;
        if (shiftedX < 0 || shiftedX >= width) continue;
        const sx = flip ? width - 1 - shiftedX : shiftedX;
        const src = (sy * width + sx) * channels;
        const dst = (y * width + x) * channels;
        for (let c = 0; c < channels; c++) scratch[dst + c] = sample[src + c];
      }
    }
    sample.set(scratch);
  };
}
