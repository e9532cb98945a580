import { projectTestConfig } from '../../tools/vitest/base';

export default projectTestConfig({
  projectRoot: 'libs/queue',
  globalSetup: ['../testing/src/postgres/global-setup.ts'],
  testTimeoutMs: 60_000,
});
