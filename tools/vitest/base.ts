/**
 * Shared Vitest settings for every project. Path aliases come from tsconfig.base.json so a
 * lib is imported in tests exactly as in production code; SWC compiles the sources because
 * NestJS needs `emitDecoratorMetadata`, which Vite's default transform (esbuild) does not emit.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig, type ViteUserConfig as UserConfig } from 'vitest/config';

const workspaceRoot = resolve(__dirname, '../..');

function aliasesFromTsconfig(): Record<string, string> {
  const tsconfig = JSON.parse(readFileSync(resolve(workspaceRoot, 'tsconfig.base.json'), 'utf8'));
  const paths: Record<string, string[]> = tsconfig.compilerOptions.paths;
  return Object.fromEntries(Object.entries(paths).map(([name, [target]]) => [name, resolve(workspaceRoot, target)]));
}

export interface ProjectTestOptions {
  /** Folder of the project, relative to the workspace root. */
  projectRoot: string;
  /** Extra files run once before the whole project's suite (e.g. the Postgres harness). */
  globalSetup?: string[];
  testTimeoutMs?: number;
  /** Integration suites share one Postgres cluster; cap the files running at once. */
  maxWorkers?: number;
}

export function projectTestConfig(options: ProjectTestOptions): UserConfig {
  return defineConfig({
    root: resolve(workspaceRoot, options.projectRoot),
    resolve: { alias: aliasesFromTsconfig() },
    plugins: [
      swc.vite({
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
      }),
    ],
    test: {
      include: ['src/**/*.spec.ts', 'src/**/__tests__/**/*.spec.ts', 'tests/**/*.spec.ts'],
      environment: 'node',
      globalSetup: options.globalSetup,
      testTimeout: options.testTimeoutMs ?? 30_000,
      hookTimeout: 120_000,
      maxWorkers: options.maxWorkers,
      pool: 'forks',
    },
  }) as UserConfig;
}
