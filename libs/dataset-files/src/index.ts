export * from './csv-profiler';
