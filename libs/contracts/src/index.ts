export * from './errors/error-code';
export * from './platform/health.contract';
export * from './platform/overview.contract';
export * from './auth/auth.contract';
export * from './audit/audit.contract';
export * from './experiments';
export * from './registry';
export * from './webhooks';
