export * from './slipway-client';
export * from './slipway-api-error';
export { encodePath, type ProgressCallback, type TransferProgress, type UploadSource } from './transfer';
export type { components as ApiComponents, paths as ApiPaths } from './generated/api-types';
