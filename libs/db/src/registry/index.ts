// registry stores and entities.
export * from './registry.entity';
export * from './registry.store';
export * from './compare.store';
export * from './retention.store';
export * from './prisma-errors';
