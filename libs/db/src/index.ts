export * from './prisma-client';
export * from './workers/worker.entity';
export * from './workers/worker.store';
export * from './platform/overview.store';
