export * from './deployment.contract';
