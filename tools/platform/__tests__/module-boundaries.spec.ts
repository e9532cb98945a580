/**
 * The module-boundary rule is the architecture; these cases prove it is on and strict, by linting
 * imports that must fail in the places they would be written.
 *
 * ESLint runs in a child process, as `npm test`'s lint step runs it: it loads eslint.config.mjs with a
 * native `import()`, which Jest's CommonJS module system does not offer to code under test.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { findWorkspaceRoot } from '@slipway/config';

const FORBIDDEN: [string, string, string][] = [
  ['the console importing the database layer', 'apps/console/app/lib/leak.ts', "import { UnitOfWork } from '@slipway/db';\nexport const x = UnitOfWork;\n"],
  [
    'the console importing server config (secrets)',
    'apps/console/app/lib/leak.ts',
    "import { loadConfig } from '@slipway/config';\nexport const x = loadConfig;\n",
  ],
  [
    'a shared ML lib importing the database layer',
    'libs/ml/evaluation/src/leak.ts',
    "import { WorkerStore } from '@slipway/db';\nexport const x = WorkerStore;\n",
  ],
  ['contracts importing anything but contracts', 'libs/contracts/src/leak.ts', "import { loadConfig } from '@slipway/config';\nexport const x = loadConfig;\n"],
  ['a lib importing an app', 'libs/db/src/leak.ts', "import { createApiApp } from '../../../apps/api/src/create-api-app';\nexport const x = createApiApp;\n"],
];
const ALLOWED: [string, string, string][] = [
  ['the console importing contracts', 'apps/console/app/lib/ok.ts', "import { ErrorCode } from '@slipway/contracts';\nexport const x = ErrorCode;\n"],
  ['the API importing the database layer', 'apps/api/src/ok.ts', "import { WorkerStore } from '@slipway/db';\nexport const x = WorkerStore;\n"],
];

/** Lints every case in one ESLint process; returns the boundary rule's messages per file path + code. */
function lintInChildProcess(cases: { filePath: string; code: string }[]): string[][] {
  const script = `
    import { ESLint } from 'eslint';
    const cases = JSON.parse(process.argv[1]);
    const eslint = new ESLint({ cwd: process.cwd() });
    const out = [];
    for (const { filePath, code } of cases) {
      const [result] = await eslint.lintText(code, { filePath });
      out.push(result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message));
    }
    process.stdout.write(JSON.stringify(out));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(cases)], {
    cwd: findWorkspaceRoot(__dirname),
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (result.status !== 0) throw new Error(`eslint child process failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as string[][];
}

const messages = new Map<string, string[]>();
beforeAll(() => {
  const cases = [...FORBIDDEN, ...ALLOWED].map(([, filePath, code]) => ({ filePath, code }));
  lintInChildProcess(cases).forEach((found, i) => messages.set(cases[i].filePath + cases[i].code, found));
});

describe('@nx/enforce-module-boundaries', () => {
  it.each(FORBIDDEN)('forbids %s', (_case, filePath, code) => {
    expect(messages.get(filePath + code)).not.toEqual([]);
    expect(messages.get(filePath + code)).toBeDefined();
  });

  it.each(ALLOWED)('allows %s', (_case, filePath, code) => {
    expect(messages.get(filePath + code)).toEqual([]);
  });
});
