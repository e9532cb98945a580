// One lint config for the whole workspace. The module-boundary rule is the architecture:
// apps sit on libs, the console never reaches the database layer or server-only code.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: [
      '**/dist',
      '**/node_modules',
      '**/.next',
      '**/generated',
      '**/.slipway',
      '**/out-tsc',
      '**/test-results',
      '**/playwright-report',
      '**/next-env.d.ts',
    ],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:ui', 'type:util', 'type:contracts'] },
            // The e2e suite sets up what it checks through the same typed client everyone uses.
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:contracts'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util', 'type:contracts'] },
            {
              sourceTag: 'type:feature',
              onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:ui', 'type:util', 'type:contracts'],
            },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util', 'type:contracts'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util', 'type:contracts'] },
            { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:ui', 'type:util', 'type:contracts'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            // Scopes: shared code stays shared; server code (database, queue, secrets) never reaches the console.
            // scope:node is Node-only code that is not server code (the client's file and stream transfers): the
            // CLI, tools and the API's client tests use it; the console and its browser bundle may not.
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:server', onlyDependOnLibsWithTags: ['scope:server', 'scope:shared'] },
            { sourceTag: 'scope:node', onlyDependOnLibsWithTags: ['scope:node', 'scope:shared'] },
            { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:api', 'scope:server', 'scope:node', 'scope:shared'] },
            { sourceTag: 'scope:worker', onlyDependOnLibsWithTags: ['scope:worker', 'scope:server', 'scope:shared'] },
            { sourceTag: 'scope:serving', onlyDependOnLibsWithTags: ['scope:serving', 'scope:server', 'scope:shared'] },
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:server', 'scope:node', 'scope:shared'] },
            {
              // Data access that is scope:shared (the isomorphic API client) is allowed; every other data-access
              // lib is scope:server or scope:node and stays out.
              sourceTag: 'scope:console',
              onlyDependOnLibsWithTags: ['scope:console', 'scope:shared'],
              notDependOnLibsWithTags: ['scope:server', 'scope:node'],
            },
          ],
        },
      ],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Library code logs through a logger, never the console (STYLE.md habit 8).
    files: ['libs/**/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/__tests__/**'],
    rules: { 'no-console': 'error' },
  },
  {
    // Tool configuration files (test runners, bundlers) are not part of the module graph.
    files: ['**/jest.config.ts', 'jest.config.ts', '**/playwright.config.ts', '**/next.config.*', '**/postcss.config.*'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
  },
  {
    // Prisma stays inside the database layer: the rest of the platform reaches the database through
    // @slipway/db's unit of work and stores, which return plain entities and throw SlipwayErrors.
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
    ignores: ['libs/db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/generated/prisma', '**/generated/prisma/**', '@prisma/client', '@prisma/client/**'],
              message: 'Prisma is internal to libs/db: use the UnitOfWork and stores from @slipway/db.',
            },
          ],
        },
      ],
    },
  },
  {
    // Safe primitives (docs/CONVENTIONS.md): z.coerce reads '1e3', ' 1', '0x10' and '' as numbers. The bare
    // z.string()/z.number() cases are caught by the schema probe specs, which tell request from response schemas.
    files: ['libs/contracts/src/**/*.ts', 'apps/api/src/**/*.dto.ts', 'apps/api/src/**/*.controller.ts', 'libs/db/src/**/*.store.ts'],
    ignores: ['libs/contracts/src/common/primitives.ts', '**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='z'][property.name='coerce']",
          message: 'Use digitsInt/queryInt from libs/contracts common/primitives: z.coerce accepts 1e3, " 1", "0x10" and "".',
        },
      ],
    },
  },
];
