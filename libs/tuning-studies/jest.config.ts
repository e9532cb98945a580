/** @jest-config-loader esbuild-register */
import { projectJestConfig } from '../../tools/jest/preset';

export default projectJestConfig({
  projectRoot: 'libs/tuning-studies',
  postgres: true,
  testTimeoutMs: 60_000,
});
