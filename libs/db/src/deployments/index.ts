export * from './deployment.entity';
export * from './deployment.store';
export * from './rollout-analysis.store';
export * from './serving-state.store';
export * from './deployment-metrics.store';
