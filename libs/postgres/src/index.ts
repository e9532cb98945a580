export * from './embedded/embedded-postgres-server';
export * from './migrations/apply-migrations';
