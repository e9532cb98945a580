import { projectTestConfig } from '../vitest/base';

const config = projectTestConfig({ projectRoot: 'tools/platform', testTimeoutMs: 60_000 });
config.test = { ...config.test, include: ['__tests__/**/*.spec.ts'] };
export default config;
