export * from './ml-input.error';
export * from './random';
export * from './matrix';
export * from './labels';
export * from './params';
export * from './preprocessing';
export * from './artifact';
