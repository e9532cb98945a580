import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { findWorkspaceRoot, loadConfig, requireDatabaseUrl } from '@slipway/config';
import { applyMigrations } from '@slipway/postgres';
import { join } from 'node:path';
import { createApiApp } from './create-api-app';

async function main(): Promise<void> {
  const logger = new Logger('Api');
  const config = loadConfig();
  if (config.migrateOnStart) {
    const result = await applyMigrations(requireDatabaseUrl(config), join(findWorkspaceRoot(__dirname), 'prisma', 'migrations'));
    if (result.applied.length > 0) logger.log(`applied migrations: ${result.applied.join(', ')}`);
  }
  const app = await createApiApp(config);
  await app.listen(config.api.port, config.api.host);
  logger.log(`listening on http://${config.api.host}:${config.api.port} (docs at /docs)`);
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
