export * from './tuning.contract';
