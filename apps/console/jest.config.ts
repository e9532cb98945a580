/** @jest-config-loader esbuild-register */
import { projectJestConfig } from '../../tools/jest/preset';

export default projectJestConfig({
  projectRoot: 'apps/console',
  testMatch: ['app/**/__tests__/**/*.spec.ts'],
  // `server-only` throws when imported outside Next's server bundles; the tests are server code.
  moduleNameMapper: { '^server-only$': require.resolve('next/dist/compiled/server-only/empty.js') },
});
