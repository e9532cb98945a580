export * from './hyperparameters';
export * from './evaluation-plan';
export * from './training-spec';
export * from './training-job.contract';
