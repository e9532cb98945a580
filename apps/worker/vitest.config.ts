import { projectTestConfig } from '../../tools/vitest/base';

export default projectTestConfig({
  projectRoot: 'apps/worker',
  globalSetup: ['../../libs/testing/src/postgres/global-setup.ts'],
  testTimeoutMs: 60_000,
});
