export * from './idempotency.entity';
export * from './idempotency.store';
