import * as tf from '@tensorflow/tfjs';
import { MlInputError, MlInputErrorCode, requireInteger, requireNumber } from '../common';
import type { EarlyStoppingOptions } from './training-loop';

export const ACTIVATIONS = ['relu', 'elu', 'selu', 'tanh', 'sigmoid', 'linear', 'softplus', 'swish'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop', 'adagrad'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** Settings every network in this folder shares. */
export interface TrainingParams {
  optimizer: OptimizerName;
  learningRate: number;
  epochs: number;
  batchSize: number;
  /** Fraction of the training rows held out (seeded, at random) to monitor `valLoss`; 0 for none. */
  validationSplit: number;
  /** Stops on the validation loss (training loss without validation); null to always run `epochs`. */
  earlyStopping: EarlyStoppingOptions | null;
  seed: number;
}

export function createOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case 'adam':
      return tf.train.adam(learningRate);
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    case 'adagrad':
      return tf.train.adagrad(learningRate);
    default: {
      const unknown: never = name;
      throw new MlInputError(MlInputErrorCode.BAD_PARAM, 'params.optimizer', `unknown optimizer ${String(unknown)}`);
    }
  }
}

export function requireOneOf<T extends string>(value: T, allowed: readonly T[], argument: string): T {
  if (!allowed.includes(value)) {
    throw new MlInputError(MlInputErrorCode.BAD_PARAM, argument, `must be one of ${allowed.join(', ')}, got ${String(value)}`);
  }
  return value;
}

export function validateTrainingParams(p: TrainingParams): void {
  requireOneOf(p.optimizer, OPTIMIZERS, 'params.optimizer');
  requireNumber(p.learningRate, 'params.learningRate', Number.MIN_VALUE, 10);
  requireInteger(p.epochs, 'params.epochs', 1, 100_000);
  requireInteger(p.batchSize, 'params.batchSize', 1, 1 << 20);
  requireNumber(p.validationSplit, 'params.validationSplit', 0, 0.9);
  requireInteger(p.seed, 'params.seed', 0, 2 ** 32 - 1);
  if (p.earlyStopping) {
    requireInteger(p.earlyStopping.patience, 'params.earlyStopping.patience', 1, 100_000);
    requireNumber(p.earlyStopping.minDelta ?? 0, 'params.earlyStopping.minDelta', 0);
  }
}

/** A 31-bit seed for one tfjs initializer, drawn from the model's seeded stream. */
export function nextSeed(draw: () => number): number {
  return Math.floor(draw() * 0x7fffffff);
}
