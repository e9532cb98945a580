import { deploymentAnalysisHandler } from './deployment-analysis.handler';
import type { HandlerModule } from './handler';
import { testFixtureLongJobHandler } from './test-fixture-long-job.handler';
import { trainingHandler } from './training.handler';
import { tuningStudyHandler } from './tuning-study.handler';
import { webhookDeliveryHandler } from './webhook-delivery.handler';
import { webhookOutboxRelayHandler } from './webhook-outbox-relay.handler';

/** The queues a worker process takes jobs from. */
export const PRODUCTION_HANDLERS: readonly HandlerModule[] = [
  trainingHandler,
  tuningStudyHandler,
  webhookDeliveryHandler,
  webhookOutboxRelayHandler,
  deploymentAnalysisHandler,
];

/** Registered only for tests (see test-fixture-long-job.handler.ts). */
export const TEST_FIXTURE_HANDLERS: readonly HandlerModule[] = [testFixtureLongJobHandler];
