/** @jest-config-loader esbuild-register */
import { projectJestConfig } from '../jest/preset';

export default projectJestConfig({
  projectRoot: 'tools/platform',
  testTimeoutMs: 60_000,
  testMatch: ['__tests__/**/*.spec.ts'],
});
