export * from './deployment.contract';
export * from './deployment-api.contract';
export * from './deployment-metrics.contract';
export * from './serving.contract';
