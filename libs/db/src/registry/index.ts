// registry stores and entities.
export * from './registry.entity';
export * from './model.store';
export * from './model-version.store';
export * from './model-alias.store';
export * from './lineage.store';
export * from './deployment-usage.store';
export * from './compare.store';
export * from './retention.store';
