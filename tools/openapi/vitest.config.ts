import { projectTestConfig } from '../vitest/base';

const config = projectTestConfig({ projectRoot: 'tools/openapi' });
config.test = { ...config.test, include: ['__tests__/**/*.spec.ts'] };
export default config;
