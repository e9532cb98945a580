/**
 * The one Jest preset every project's `jest.config.ts` builds on.
 *
 * - TypeScript (and the few ESM-only packages we load) is compiled by `@swc/jest` to CommonJS, with
 *   legacy decorators and `emitDecoratorMetadata`: NestJS dependency injection reads that metadata.
 * - Path aliases (`@slipway/*`) come from tsconfig.base.json, so a lib is imported in tests exactly as
 *   in production code.
 * - ESM-only dependencies are transformed rather than run in Jest's experimental ESM mode (which needs
 *   `--experimental-vm-modules` and changes how mocks work): SWC compiles them once into Jest's cache,
 *   and the rest of node_modules stays untouched.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from 'jest';
import { TIMEOUTS_GLOBAL, type Timeouts } from './timeouts-global';

export const workspaceRoot = resolve(__dirname, '../..');

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Does a package.json `exports` map offer a CommonJS entry anywhere (a `require` condition, a .cjs file)? */
function exportsCommonJs(exports: unknown): boolean {
  if (typeof exports === 'string') return exports.endsWith('.cjs');
  if (Array.isArray(exports)) return exports.some(exportsCommonJs);
  if (!exports || typeof exports !== 'object') return false;
  return Object.entries(exports).some(([condition, target]) => condition === 'require' || (condition !== 'import' && exportsCommonJs(target)));
}

/**
 * Every installed package that ships only ES modules (`"type": "module"` with no CommonJS entry), found
 * by reading node_modules once per Jest start (~0.2 s). Jest's module system is CommonJS, so these are
 * compiled like our own sources — only when a test actually loads them, and once into Jest's cache.
 * Found rather than listed so a new dependency (pg-boss 12, serialize-error, ml-kmeans, …) needs no edit.
 */
export function esmOnlyPackages(nodeModules = resolve(workspaceRoot, 'node_modules')): string[] {
  const found = new Set<string>();
  const visit = (folder: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(folder);
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.startsWith('.')) continue;
      const names = entry.startsWith('@') ? readdirSync(join(folder, entry)).map((name) => `${entry}/${name}`) : [entry];
      for (const name of names) {
        try {
          const manifest = JSON.parse(readFileSync(join(folder, name, 'package.json'), 'utf8'));
          const commonJs = manifest.exports ? exportsCommonJs(manifest.exports) : String(manifest.main ?? '').endsWith('.cjs');
          if (manifest.type === 'module' && !commonJs) found.add(name);
        } catch {
          // not a package folder
        }
        visit(join(folder, name, 'node_modules'));
      }
    }
  };
  visit(nodeModules);
  return [...found].sort();
}

/**
 * node_modules stays untransformed except the ESM-only packages. The pattern matches the innermost
 * node_modules segment of a path, so a nested copy (openapi-typescript/node_modules/parse-json) counts too.
 */
function transformIgnorePattern(): string {
  return `/node_modules/(?!(${esmOnlyPackages().map(escapeRegExp).join('|')})/)(?!.*/node_modules/)`;
}

/** `@slipway/x` → `<root>/libs/x/src/index.ts`, from tsconfig.base.json's `paths`. */
export function pathAliases(): Record<string, string> {
  const tsconfig = JSON.parse(readFileSync(resolve(workspaceRoot, 'tsconfig.base.json'), 'utf8'));
  const paths: Record<string, string[]> = tsconfig.compilerOptions.paths;
  return Object.fromEntries(Object.entries(paths).map(([name, [target]]) => [`^${escapeRegExp(name)}$`, resolve(workspaceRoot, target)]));
}

const swcTypeScript = {
  swcrc: false,
  jsc: {
    parser: { syntax: 'typescript', decorators: true, tsx: false },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

const swcJavaScript = {
  swcrc: false,
  jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022', keepClassNames: true },
  module: { type: 'commonjs' },
};

/** The Postgres harness: one server per Jest run, a migrated template, a database per test file. */
export const POSTGRES_HARNESS = {
  globalSetup: resolve(workspaceRoot, 'libs/testing/src/postgres/global-setup.ts'),
  globalTeardown: resolve(workspaceRoot, 'libs/testing/src/postgres/global-teardown.ts'),
};

export interface ProjectTestOptions {
  /** Folder of the project, relative to the workspace root. */
  projectRoot: string;
  /** Needs a real Postgres: adds the harness's globalSetup/globalTeardown. */
  postgres?: boolean;
  testTimeoutMs?: number;
  /** Test file globs relative to the project folder (default: everything under src/ and tests/). */
  testMatch?: string[];
  /** Extra module mappings (regex → file), on top of the path aliases. */
  moduleNameMapper?: Record<string, string>;
}

export function projectJestConfig(options: ProjectTestOptions): Config {
  const rootDir = resolve(workspaceRoot, options.projectRoot);
  const testMatch = options.testMatch ?? ['src/**/*.spec.ts', 'tests/**/*.spec.ts'];
  return {
    displayName: options.projectRoot.replace(/^(apps|libs|tools)\//, ''),
    rootDir,
    testEnvironment: 'node',
    testMatch: testMatch.map((glob) => `<rootDir>/${glob}`),
    moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json', 'node'],
    transform: {
      '^.+\\.tsx?$': ['@swc/jest', swcTypeScript],
      '^.+\\.m?js$': ['@swc/jest', swcJavaScript],
    },
    transformIgnorePatterns: [transformIgnorePattern()],
    moduleNameMapper: { ...pathAliases(), ...options.moduleNameMapper },
    ...(options.postgres ? POSTGRES_HARNESS : {}),
    setupFilesAfterEnv: [resolve(workspaceRoot, 'tools/jest/timeouts.ts')],
    globals: { [TIMEOUTS_GLOBAL]: { testMs: options.testTimeoutMs ?? 30_000, hookMs: 120_000 } satisfies Timeouts },
    // Keep the transform cache inside the workspace (like Nx's), so a clean clone starts cold as CI does.
    cacheDirectory: resolve(workspaceRoot, 'node_modules/.cache/jest'),
  };
}
