export * from './cell-values';
export * from './content-error';
export * from './csv-reader';
export * from './csv-profiler';
export * from './preprocessing';
export * from './spool';
export * from './table-records';
export * from './training-table';
