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
/**
 * @deprecated Transitional: apps/worker (and its tests, libs/webhooks' and tools/bench) still open a raw
 * client; they move to `UnitOfWork.connect(url).read.workers / .read.webhooks`, then this line goes.
 * Listed in public-surface.spec.ts, which refuses anything else from Prisma.
 */
export { createPrismaClient, type PrismaClient } from './prisma-client';
