/** @jest-config-loader esbuild-register */
import { projectJestConfig } from '../jest/preset';

export default projectJestConfig({
  projectRoot: 'tools/openapi',
  testMatch: ['__tests__/**/*.spec.ts'],
});
