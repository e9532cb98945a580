export * from './tuning.contract';
export * from './study-api.contract';
