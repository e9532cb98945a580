export * from './prisma-client';
export * from './db-client';
export * from './workers/worker.entity';
export * from './workers/worker.store';
export * from './platform/overview.store';
export * from './auth/api-token.store';
export * from './audit/audit-log.store';
