import { projectTestConfig } from '../../tools/vitest/base';

export default projectTestConfig({
  projectRoot: 'libs/webhooks',
  globalSetup: ['../testing/src/postgres/global-setup.ts'],
  testTimeoutMs: 60_000,
});
