// Compiles the server side (API, worker, serving, platform launcher and the libs they use) with SWC into
// dist/server, mirroring the repository layout so node_modules resolves as in development.
// SWC, not esbuild: NestJS dependency injection needs `emitDecoratorMetadata`. Path aliases
// (@slipway/*) are rewritten to relative requires from tsconfig.base.json's `paths`.
// Type checking is separate (`nx run-many -t typecheck`).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'dist', 'server');
const require = createRequire(import.meta.url);
const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));

const sources = ['apps/api/src', 'apps/worker/src', 'apps/serving/src', 'apps/cli/src', 'tools/platform', 'tools/cli', 'libs'].filter((p) =>
  existsSync(join(root, p)),
);
const swcrc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
    baseUrl: root,
    paths: tsconfig.compilerOptions.paths,
  },
  module: { type: 'commonjs', strict: false },
  sourceMaps: true,
  exclude: ['\\.spec\\.ts$', '__tests__', 'jest\\.config\\.ts$', '\\.tsx$', 'apps/console'],
};
const swcrcPath = join(root, 'dist', '.swcrc.server.json');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(swcrcPath, JSON.stringify(swcrc));
const swcCli = join(dirname(require.resolve('@swc/cli/package.json')), 'bin', 'swc.js');
const result = spawnSync(
  process.execPath,
  [
    swcCli,
    ...sources,
    '-d',
    outDir,
    '--config-file',
    swcrcPath,
    '--copy-files',
    '--only',
    '**/*.ts',
    '--ignore',
    '**/*.spec.ts,**/__tests__/**,**/jest.config.ts',
  ],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (result.status !== 0) process.exit(result.status ?? 1);
// Runtime data files that code reads relative to its own folder.
for (const dataDir of ['libs/ml/datasets/data']) {
  if (existsSync(join(root, dataDir))) cpSync(join(root, dataDir), join(outDir, dataDir), { recursive: true });
}
