export * from './artifact';
export * from './cnn-classifier';
export * from './image-augmentation';
export * from './image-set';
export * from './neural-params';
export * from './nn-regression';
export { SeededDropout, type SeededDropoutArgs } from './seeded-dropout';
export type { EarlyStoppingOptions, EpochMetrics, TrainingSummary } from './training-loop';
export * from './weight-quantization';
