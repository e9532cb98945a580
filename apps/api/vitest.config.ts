import { projectTestConfig } from '../../tools/vitest/base';

export default projectTestConfig({
  projectRoot: 'apps/api',
  globalSetup: ['../../libs/testing/src/postgres/global-setup.ts'],
  testTimeoutMs: 60_000,
});
