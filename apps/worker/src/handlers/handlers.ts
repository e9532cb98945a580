import type { HandlerModule } from './handler';
import { testFixtureLongJobHandler } from './test-fixture-long-job.handler';
import { webhookDeliveryHandler } from './webhook-delivery.handler';
import { webhookOutboxRelayHandler } from './webhook-outbox-relay.handler';

/** The queues a worker process takes jobs from. Training, tuning and deployments join here. */
export const PRODUCTION_HANDLERS: readonly HandlerModule[] = [webhookDeliveryHandler, webhookOutboxRelayHandler];

/** Registered only for tests (see test-fixture-long-job.handler.ts). */
export const TEST_FIXTURE_HANDLERS: readonly HandlerModule[] = [testFixtureLongJobHandler];
