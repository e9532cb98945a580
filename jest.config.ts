/** @jest-config-loader esbuild-register */
/**
 * Root Jest config: every project's jest.config.ts as one multi-project run, so `npx jest <file>`
 * works from the workspace root. `npm test` runs each project through Nx (`nx run-many -t test`).
 */
import { getJestProjectsAsync } from '@nx/jest';

export default async () => ({ projects: await getJestProjectsAsync() });
