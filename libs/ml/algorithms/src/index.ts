export * from './kmeans';
export * from './cart';
export * from './common';
export * from './neural';
export * from './training';
