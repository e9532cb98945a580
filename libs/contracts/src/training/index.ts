export * from './hyperparameters';
export * from './evaluation-plan';
export * from './training-spec';
