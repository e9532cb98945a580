// Registering model versions and moving aliases outside NestJS: the API's registry routes and the workers use
// the same registrar, so a version registered by a training job is audited and announced like any other.
export * from './model-registrar';
export * from './registration-errors';
export * from './registry-summaries';
export * from './deployment-changes';
