import * as tf from '@tensorflow/tfjs';

export interface SeededDropoutArgs {
  rate: number;
  seed: number;
  name: string;
}

/**
 * Dropout whose masks come from a seed stepped once per training call. tfjs's own Dropout either
 * draws from Math.random (unseeded) or, given a seed, reuses the same mask on every batch.
 *
 * It serialises as a standard `Dropout` layer (same class name and config), so the saved
 * model.json loads in any tfjs runtime; at inference both are the identity.
 */
export class SeededDropout extends tf.layers.Layer {
  static readonly className = 'Dropout';
  private readonly rate: number;
  private readonly seed: number;
  private calls = 0;

  constructor(args: SeededDropoutArgs) {
    super({ name: args.name });
    this.rate = args.rate;
    this.seed = args.seed;
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs['training'] || this.rate <= 0) return input;
    const seed = (this.seed + this.calls++ * 0x9e3779b1) >>> 0;
    return tf.dropout(input, this.rate, undefined, seed);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, noiseShape: null, seed: null };
  }
}
