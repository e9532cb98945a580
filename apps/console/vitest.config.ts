import { resolve } from 'node:path';
import { mergeConfig } from 'vitest/config';
import { projectTestConfig } from '../../tools/vitest/base';

export default mergeConfig(projectTestConfig({ projectRoot: 'apps/console' }), {
  resolve: {
    // `server-only` throws when imported outside Next's server bundles; the tests are server code.
    alias: { 'server-only': resolve(__dirname, '../../node_modules/next/dist/compiled/server-only/empty.js') },
  },
  test: { include: ['app/**/__tests__/**/*.spec.ts'] },
});
