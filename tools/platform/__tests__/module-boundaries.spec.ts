/**
 * The module-boundary rule is the architecture; these cases prove it is on and strict, by linting
 * imports that must fail in the places they would be written.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { findWorkspaceRoot } from '@slipway/config';

const eslint = new ESLint({ cwd: findWorkspaceRoot(__dirname) });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('@nx/enforce-module-boundaries', () => {
  it.each([
    ['the console importing the database layer', 'apps/console/app/lib/leak.ts', "import { createPrismaClient } from '@slipway/db';\nexport const x = createPrismaClient;\n"],
    ['the console importing server config (secrets)', 'apps/console/app/lib/leak.ts', "import { loadConfig } from '@slipway/config';\nexport const x = loadConfig;\n"],
    ['a shared ML lib importing the database layer', 'libs/ml/evaluation/src/leak.ts', "import { WorkerStore } from '@slipway/db';\nexport const x = WorkerStore;\n"],
    ['contracts importing anything but contracts', 'libs/contracts/src/leak.ts', "import { loadConfig } from '@slipway/config';\nexport const x = loadConfig;\n"],
    ['a lib importing an app', 'libs/db/src/leak.ts', "import { createApiApp } from '../../../apps/api/src/create-api-app';\nexport const x = createApiApp;\n"],
  ])('forbids %s', async (_case, filePath, code) => {
    await expect(boundaryErrors(filePath, code)).resolves.not.toEqual([]);
  });

  it.each([
    ['the console importing contracts', 'apps/console/app/lib/ok.ts', "import { ErrorCode } from '@slipway/contracts';\nexport const x = ErrorCode;\n"],
    ['the API importing the database layer', 'apps/api/src/ok.ts', "import { WorkerStore } from '@slipway/db';\nexport const x = WorkerStore;\n"],
  ])('allows %s', async (_case, filePath, code) => {
    await expect(boundaryErrors(filePath, code)).resolves.toEqual([]);
  });
});
