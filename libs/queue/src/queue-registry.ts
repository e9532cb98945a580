/**
 * Every job queue, once: its name, the zod schema of its message (from @slipway/contracts, shared by
 * sender and handler) and its policy. JobQueue creates the queues from here and checks every message
 * against its queue's schema on the way in (`send`) and on the way out (`work`), so a queue name and
 * its message type can never drift apart.
 *
 * A new kind of job: (1) its message schema in libs/contracts/src/jobs, (2) an entry in `Queues` below
 * with its policy (a long job wants heartbeatSeconds, so a dead worker's job moves on and a cancellation
 * reaches the handler), (3) a handler module apps/worker/src/handlers/<queue>.handler.ts, listed in
 * apps/worker/src/handlers/handlers.ts.
 */
import {
  deploymentAnalysisMessageSchema,
  trainingMessageSchema,
  tuningStudyMessageSchema,
  webhookDeliveryMessageSchema,
  webhookOutboxRelayMessageSchema,
  type TrainingMessage,
  type TuningStudyMessage,
  type WebhookDeliveryMessage,
} from '@slipway/contracts';
import type { z } from 'zod';

export { deploymentAnalysisMessageSchema, trainingMessageSchema, tuningStudyMessageSchema, webhookDeliveryMessageSchema, webhookOutboxRelayMessageSchema };
export type { TrainingMessage, TuningStudyMessage, WebhookDeliveryMessage };

/** How pg-boss treats a queue's jobs. Stored on the queue row; JobQueue.start brings an existing queue up to date. */
export interface QueuePolicy {
  /**
   * pg-boss queue policy (fixed when the queue is created): `standard` runs any number at once,
   * `singleton` at most one active job per singleton key.
   */
  kind?: 'standard' | 'singleton';
  /** Retries after the first attempt. A message that fails validation, or a PermanentJobError, is never retried. */
  retryLimit: number;
  /** Seconds before the first retry. */
  retryDelay: number;
  /** Doubles the delay after each failed attempt (with jitter), up to retryDelayMax. */
  retryBackoff: boolean;
  retryDelayMax?: number;
  /**
   * A job whose worker stops heartbeating for this long is failed and retried: a worker that died
   * (SIGKILL, OOM, lost machine) loses its job to another worker within heartbeatSeconds plus one
   * monitor pass. Also how a running job learns it was cancelled (see heartbeatRefreshSeconds). Min 10.
   */
  heartbeatSeconds?: number;
  /** How often a running job's heartbeat is written and its claim checked; default heartbeatSeconds / 2. */
  heartbeatRefreshSeconds?: number;
  /** The most one attempt may run; its handler's signal is aborted then. */
  expireInSeconds: number;
}

export interface QueueDefinition<Name extends string = string, Schema extends z.ZodType = z.ZodType> {
  name: Name;
  /** What the message means, for people reading the registry. */
  description: string;
  schema: Schema;
  policy: QueuePolicy;
  /**
   * The key a message is sent under unless the sender gives one: lets the queue find a message's job again
   * (the outbox relay asks whether a delivery still has one) and dedupe where the policy does.
   */
  singletonKey?: (message: z.output<Schema>) => string;
}

/** Keeps the literal name and the schema's type (a plain annotation would widen both). */
export function defineQueue<const Name extends string, Schema extends z.ZodType>(definition: QueueDefinition<Name, Schema>): QueueDefinition<Name, Schema> {
  if (definition.policy.heartbeatSeconds !== undefined && definition.policy.heartbeatSeconds < 10) {
    throw new Error(`queue ${definition.name}: heartbeatSeconds must be at least 10 (pg-boss)`);
  }
  return definition;
}

export const Queues = {
  training: defineQueue({
    name: 'training',
    description: 'One message per training job (and per tuning trial).',
    schema: trainingMessageSchema,
    policy: { retryLimit: 2, retryDelay: 10, retryBackoff: true, heartbeatSeconds: 30, expireInSeconds: 6 * 3600 },
    singletonKey: (message) => message.trainingJobId,
  }),
  webhookDelivery: defineQueue({
    name: 'webhook-delivery',
    description: 'One message per webhook delivery attempt series; the delivery row counts the attempts.',
    schema: webhookDeliveryMessageSchema,
    policy: { retryLimit: 8, retryDelay: 5, retryBackoff: true, retryDelayMax: 3600, expireInSeconds: 60 },
    singletonKey: (message) => message.deliveryId,
  }),
  webhookOutboxRelay: defineQueue({
    name: 'webhook-outbox-relay',
    description: 'A sweep of the webhook outbox for deliveries left PENDING without a job; sent by every worker on a timer, throttled to one per interval.',
    schema: webhookOutboxRelayMessageSchema,
    // The next interval's sweep is the retry; `singleton` keeps two sweeps from running at once.
    policy: { kind: 'singleton', retryLimit: 0, retryDelay: 0, retryBackoff: false, expireInSeconds: 120 },
  }),
  deploymentAnalysis: defineQueue({
    name: 'deployment-analysis',
    description: 'A sweep of ROLLING_OUT deployments whose step is due for analysis; sent by every worker on a timer, throttled to one per interval.',
    schema: deploymentAnalysisMessageSchema,
    // As the outbox relay: the next sweep is the retry, and `singleton` keeps two sweeps from running at once
    // (each deployment is also guarded by its own advisory lock, so even overlapping sweeps act once).
    policy: { kind: 'singleton', retryLimit: 0, retryDelay: 0, retryBackoff: false, expireInSeconds: 120 },
  }),
  tuningStudy: defineQueue({
    name: 'tuning-study',
    description: 'Advance one tuning study: reconcile its trials with their training jobs, end it, or queue its next trials.',
    schema: tuningStudyMessageSchema,
    // One active per study (its row lock serialises them anyway); a failed pass is retried soon, and the
    // workers' sweep covers a message that is lost.
    policy: { kind: 'singleton', retryLimit: 3, retryDelay: 1, retryBackoff: true, retryDelayMax: 30, expireInSeconds: 300 },
    singletonKey: (message) => message.studyId,
  }),
} as const;

export type RegisteredQueue = (typeof Queues)[keyof typeof Queues];
export type QueueName = RegisteredQueue['name'];

/** The names, as constants (`QueueName.Training`). */
export const QueueName = {
  Training: Queues.training.name,
  WebhookDelivery: Queues.webhookDelivery.name,
  WebhookOutboxRelay: Queues.webhookOutboxRelay.name,
  DeploymentAnalysis: Queues.deploymentAnalysis.name,
  TuningStudy: Queues.tuningStudy.name,
} as const satisfies Record<string, QueueName>;

// Any definition, whatever its message type (the schema's input and output are erased here on purpose).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyQueueDefinition = QueueDefinition<string, z.ZodType<any, any>>;

/** A queue as `send`/`work` accept it: a registered name, or a definition (e.g. a test fixture's). */
export type QueueRef = QueueName | AnyQueueDefinition;
export type DefinitionOf<Q extends QueueRef> = Q extends QueueName ? Extract<RegisteredQueue, { name: Q }> : Q;
/** What a sender passes (before defaults and transforms). */
export type MessageInput<Q extends QueueRef> = z.input<DefinitionOf<Q>['schema']>;
/** What a handler receives (parsed). */
export type MessageOf<Q extends QueueRef> = z.output<DefinitionOf<Q>['schema']>;

export const REGISTERED_QUEUES: readonly AnyQueueDefinition[] = Object.values(Queues);

/** Each registered queue's policy by name (read by libs/webhooks to count attempts the way the queue retries). */
export const QUEUE_POLICIES = Object.fromEntries(REGISTERED_QUEUES.map((q) => [q.name, q.policy])) as Record<QueueName, QueuePolicy>;
