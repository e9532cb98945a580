export * from './slipway-client';
export * from './slipway-api-error';
export * from './metric-value';
export { waitForTrainingJob, type WaitForTrainingJobOptions } from './training-jobs';
export { waitForStudy, type WaitForStudyOptions } from './studies';
export { artifactFilePath, encodePath, versionFilePath } from './paths';
export type { components as ApiComponents, paths as ApiPaths } from './generated/api-types';
export {
  DEFAULT_SERVING_URL,
  DEPLOYMENT_ACTION_ROUTES,
  DeploymentConflictError,
  rolloutOutcome,
  waitForRollout,
  type DeploymentActionRoute,
  type DeploymentEventView,
  type RolloutOutcome,
  type WaitForRolloutOptions,
} from './deployments';
