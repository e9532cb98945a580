/** @jest-config-loader esbuild-register */
import { projectJestConfig } from '../jest/preset';

export default projectJestConfig({
  projectRoot: 'tools/deploy-check',
});
