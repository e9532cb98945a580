/** @jest-config-loader esbuild-register */
import { projectJestConfig } from '../jest/preset';

export default projectJestConfig({
  projectRoot: 'tools/deploy-check',
  // training-queue-depth.int.spec.ts runs the autoscaling query against pg-boss's schema on a real Postgres.
  postgres: true,
  testTimeoutMs: 60_000,
});
