/** @jest-config-loader esbuild-register */
import { projectJestConfig } from '../../tools/jest/preset';

export default projectJestConfig({
  projectRoot: 'libs/model-registry',
  postgres: true,
  testTimeoutMs: 60_000,
});
