// The database layer's public surface: the unit of work, the stores it hands out, and domain entities.
// Prisma (its namespace, its types, its error codes) stays inside libs/db: see __tests__/public-surface.spec.ts.
export * from './unit-of-work';
export * from './workers/worker.entity';
export * from './workers/worker.store';
export * from './platform/overview.store';
export * from './auth/api-token.store';
export * from './audit/audit-log.store';
export * from './experiments';
export * from './registry';
export * from './webhooks';
export * from './idempotency';
export * from './datasets';
export * from './training';
export * from './tuning';
export * from './deployments';
