export * from './slipway-client';
export * from './slipway-api-error';
export * from './metric-value';
export { artifactFilePath, encodePath, versionFilePath } from './paths';
export type { components as ApiComponents, paths as ApiPaths } from './generated/api-types';
