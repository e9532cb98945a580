export * from './deployment.entity';
export * from './deployment.store';
