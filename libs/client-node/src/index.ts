// Everything the isomorphic client offers, plus the Node-only byte transfers: a Node program imports this one package.
export * from '@slipway/client';
export * from './slipway-node-client';
export { HashingMeter, openUploadSource, type OpenedSource, type ProgressCallback, type TransferProgress, type UploadSource } from './transfer';
