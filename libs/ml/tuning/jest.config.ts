/** @jest-config-loader esbuild-register */
import { projectJestConfig } from '../../../tools/jest/preset';

export default projectJestConfig({
  projectRoot: 'libs/ml/tuning',
});
