export * from './fuzz-engine';
export * from './hostile-values';
export * from './openapi';
export * from './request-plans';
