export * from './kmeans';
export * from './kmeans-artifact';
