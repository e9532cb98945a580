// experiments stores and entities.
export * from './tracking.entities';
export * from './experiment.store';
export * from './run.store';
export * from './metric.store';
export * from './artifact.store';
export * from './run-search.store';
