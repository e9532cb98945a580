export * from './builtin-datasets';
