export * from './dataset-columns.contract';
