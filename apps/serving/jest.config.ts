/** @jest-config-loader esbuild-register */
import { projectJestConfig } from '../../tools/jest/preset';

export default projectJestConfig({
  projectRoot: 'apps/serving',
  postgres: true,
  testTimeoutMs: 120_000,
});
