/** One-shot: apply pending migrations to DATABASE_URL (compose's `migrate` service, the Kubernetes initContainer). */
import { join } from 'node:path';
import { findWorkspaceRoot, loadConfig, requireDatabaseUrl } from '@slipway/config';
import { applyMigrations } from '@slipway/postgres';

applyMigrations(requireDatabaseUrl(loadConfig()), join(findWorkspaceRoot(__dirname), 'prisma', 'migrations')).then(
  (result) => {
    process.stdout.write(
      `migrations applied: ${result.applied.length ? result.applied.join(', ') : 'none'}; already applied: ${result.alreadyApplied.length}\n`,
    );
    process.exit(0);
  },
  (error: Error) => {
    process.stderr.write(`migration failed: ${error.message}\n`);
    process.exit(1);
  },
);
