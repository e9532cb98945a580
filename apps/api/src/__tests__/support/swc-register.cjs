/**
 * `node --require <this> apps/api/src/main.ts`: the API from its sources, as a real process, without a
 * server build. tsx cannot do it (esbuild emits no decorator metadata, which NestJS injection reads), so
 * each .ts file is compiled on load by SWC with the same settings as tools/build/build-server.mjs, and the
 * @slipway/* aliases resolve from tsconfig.base.json. Process specs use it so they never race a shared
 * dist/server that another build is replacing.
 */
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { transformSync } = require('@swc/core');
const { register } = require('tsconfig-paths');

const root = resolve(__dirname, '../../../../..');
const tsconfig = JSON.parse(readFileSync(resolve(root, 'tsconfig.base.json'), 'utf8'));
register({ baseUrl: root, paths: tsconfig.compilerOptions.paths });

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs', strict: false },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
