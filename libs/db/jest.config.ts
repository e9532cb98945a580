/** @jest-config-loader esbuild-register */
import { projectJestConfig } from '../../tools/jest/preset';

export default projectJestConfig({
  projectRoot: 'libs/db',
  postgres: true,
  testTimeoutMs: 60_000,
});
