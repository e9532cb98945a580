import { Logger } from '@nestjs/common';
import { loadConfig } from '@slipway/config';
import { TEST_FIXTURE_QUEUES_ENV } from './handlers/test-fixture-long-job.handler';
import { WorkerProcess } from './worker-process';

async function main(): Promise<void> {
  // Not a setting: only the worker crash-recovery test sets it, to give the worker its fixture queue.
  const worker = new WorkerProcess(loadConfig(), { testFixtures: process.env[TEST_FIXTURE_QUEUES_ENV] === '1' });
  const shutdown = (signal: string) => {
    new Logger('Worker').log(`${signal}: stopping; running jobs are signalled to stop (long ones are retried elsewhere), short ones finish`);
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
