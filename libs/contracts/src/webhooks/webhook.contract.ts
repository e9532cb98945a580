import { z } from 'zod';
import { pageQuerySchema } from '../common/page-query';
import { nameText, text } from '../common/primitives';

/** Registry and training events a webhook can subscribe to. `ping` is sent only by the ping endpoint, to every webhook asked. */
export const WEBHOOK_EVENTS = [
  'model_version.created',
  'model_version.ready',
  'model_version.archived',
  'alias.moved',
  'alias.deleted',
  'training_job.queued',
  'training_job.started',
  'training_job.succeeded',
  'training_job.failed',
  'training_job.cancel_requested',
  'training_job.cancelled',
  'deployment.created',
  'deployment.updated',
  'deployment.deleted',
  'deployment.canary_started',
  'deployment.shadow_changed',
  'deployment.rollout_started',
  'deployment.promoted',
  'deployment.rolled_back',
  'deployment.aborted',
  'deployment.alias_redeployed',
  /** The rollout analyser: a step passed and the canary's share grew, or a gate failed and the canary was dropped. */
  'deployment.rollout_advanced',
  'deployment.auto_rolled_back',
  /** Tuning studies: created, started or resumed, stop asked, ended (completed, stopped or failed), best registered. */
  'tuning_study.created',
  'tuning_study.started',
  'tuning_study.stop_requested',
  'tuning_study.completed',
  'tuning_study.stopped',
  'tuning_study.failed',
  'tuning_study.best_registered',
  /** One per trial that ends: completed (with its value), pruned (with the rule's reason) or failed. */
  'tuning_trial.completed',
  'tuning_trial.pruned',
  'tuning_trial.failed',
] as const;
export const webhookEventSchema = z.enum(WEBHOOK_EVENTS);
export type WebhookEvent = z.infer<typeof webhookEventSchema>;
export const PING_EVENT = 'ping';

/** Headers on every delivery. The signature is `sha256=` + hex HMAC-SHA256(secret, `${timestamp}.${body}`). */
export const WEBHOOK_HEADERS = {
  event: 'x-slipway-event',
  delivery: 'x-slipway-delivery',
  timestamp: 'x-slipway-timestamp',
  signature: 'x-slipway-signature',
} as const;

const urlSchema = text({ max: 2048 })
  .url()
  .refine((url) => /^https?:\/\//i.test(url), 'must be an http(s) URL');

const eventsSchema = z
  .array(webhookEventSchema)
  .min(1)
  .max(WEBHOOK_EVENTS.length)
  .refine((events) => new Set(events).size === events.length, 'an event is listed twice');

const secretSchema = text({ min: 16, max: 256 });

export const createWebhookRequestSchema = z
  .object({
    name: nameText(128, { trim: true }),
    url: urlSchema,
    events: eventsSchema,
    /** Generated (and shown once, in the response) when omitted. */
    secret: secretSchema.optional(),
    active: z.boolean().default(true),
  })
  .strict();
export type CreateWebhookRequest = z.infer<typeof createWebhookRequestSchema>;

export const updateWebhookRequestSchema = z
  .object({
    name: nameText(128, { trim: true }).optional(),
    url: urlSchema.optional(),
    events: eventsSchema.optional(),
    secret: secretSchema.optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'give at least one field to change');
export type UpdateWebhookRequest = z.infer<typeof updateWebhookRequestSchema>;

export const webhookIdParamsSchema = z.object({ id: z.string().uuid() }).strict();

export const webhookSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
});
export type WebhookView = z.infer<typeof webhookSchema>;

/** The only response that ever contains the secret. */
export const createdWebhookSchema = webhookSchema.extend({ secret: z.string() });
export type CreatedWebhook = z.infer<typeof createdWebhookSchema>;

export const webhookListSchema = z.object({ webhooks: z.array(webhookSchema) });

export const DELIVERY_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
export const deliveryStatusSchema = z.enum(DELIVERY_STATUSES);

export const deliverySchema = z.object({
  id: z.string().uuid(),
  webhookId: z.string().uuid(),
  event: z.string(),
  status: deliveryStatusSchema,
  attempts: z.number().int(),
  responseStatus: z.number().int().nullable(),
  /** First 2 KiB of the receiver's last answer. */
  responseBody: z.string().nullable(),
  error: z.string().nullable(),
  nextAttemptAt: z.string().datetime().nullable(),
  createdAt: z.string().datetime(),
  deliveredAt: z.string().datetime().nullable(),
  payload: z.unknown(),
});
export type DeliveryView = z.infer<typeof deliverySchema>;

export const deliveryQuerySchema = pageQuerySchema({ status: deliveryStatusSchema.optional() }, { max: 200, default: 50 });
export type DeliveryQuery = z.infer<typeof deliveryQuerySchema>;

export const deliveryListSchema = z.object({ deliveries: z.array(deliverySchema), nextCursor: z.string().nullable() });
export type DeliveryList = z.infer<typeof deliveryListSchema>;

/** The JSON body a receiver gets. */
export const webhookEnvelopeSchema = z.object({
  id: z.string().uuid(),
  event: z.string(),
  createdAt: z.string().datetime(),
  data: z.unknown(),
});
export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;
