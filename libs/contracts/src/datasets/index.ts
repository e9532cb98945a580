export * from './dataset-columns.contract';
export * from './dataset.contract';
export * from './preprocessing.contract';
export * from './image-dataset.contract';
