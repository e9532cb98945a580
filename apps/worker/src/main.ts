import { Logger } from '@nestjs/common';
import { loadConfig } from '@slipway/config';
import { WorkerProcess } from './worker-process';

async function main(): Promise<void> {
  const worker = new WorkerProcess(loadConfig());
  const shutdown = (signal: string) => {
    new Logger('Worker').log(`${signal}: finishing current jobs, then stopping`);
    worker.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  await worker.start();
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
