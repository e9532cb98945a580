// `prisma generate` for `npm install` (postinstall) and builds. Prisma 6 needs DATABASE_URL to read the
// schema even though generating never connects; a placeholder is set when none is given.
const { spawnSync } = require('node:child_process');
const { resolve } = require('node:path');

const root = resolve(__dirname, '..', '..');
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
if (!env.DATABASE_URL) env.DATABASE_URL = 'postgresql://offline@127.0.0.1:5432/unused';
const result = spawnSync(process.execPath, [require.resolve('prisma/build/index.js', { paths: [root] }), 'generate'], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
