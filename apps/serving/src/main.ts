import { loadConfig } from '@slipway/config';
import { createServingLogger } from './serving-logger';
import { ServingProcess } from './serving-process';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createServingLogger(config.logLevel, config.logFormat);
  const serving = new ServingProcess(config, logger);
  const shutdown = (signal: string) => {
    logger.info(`${signal}: stopping; requests in flight finish`);
    serving.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  await serving.start();
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
