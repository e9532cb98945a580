/** @jest-config-loader esbuild-register */
import { projectJestConfig } from '../../tools/jest/preset';

export default projectJestConfig({
  projectRoot: 'libs/dataset-files',
  testTimeoutMs: 60_000,
});
