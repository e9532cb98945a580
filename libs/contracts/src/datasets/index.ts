export * from './dataset-columns.contract';
export * from './dataset.contract';
