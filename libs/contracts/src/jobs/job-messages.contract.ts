import { z } from 'zod';

/**
 * The message each job queue carries, shared by the process that sends it (API) and the one that
 * handles it (worker). Messages carry ids, never state: the handler reads the current rows, so a
 * message that waited in the queue never acts on stale data. `.strict()` so a field a newer sender
 * adds is noticed by an older worker (the job fails for good instead of being half understood).
 */

/** One message per training job (and per tuning trial). */
export const trainingMessageSchema = z.object({ trainingJobId: z.string().uuid() }).strict();
export type TrainingMessage = z.infer<typeof trainingMessageSchema>;

/** One message per webhook delivery attempt series (the delivery row counts the attempts). */
export const webhookDeliveryMessageSchema = z.object({ deliveryId: z.string().uuid() }).strict();
export type WebhookDeliveryMessage = z.infer<typeof webhookDeliveryMessageSchema>;

/** A sweep of the webhook outbox: re-queues deliveries left PENDING with no job (their enqueue failed or their job was lost). */
export const webhookOutboxRelayMessageSchema = z.object({}).strict();
export type WebhookOutboxRelayMessage = z.infer<typeof webhookOutboxRelayMessageSchema>;

/** A sweep of the rollouts whose step is due for analysis (sent by every worker on a timer, throttled to one per interval). */
export const deploymentAnalysisMessageSchema = z.object({}).strict();
export type DeploymentAnalysisMessage = z.infer<typeof deploymentAnalysisMessageSchema>;

/**
 * "Look at this study now": sent when a study starts or resumes, when one of its trials' jobs ends, and when a
 * stop is asked for. The handler reconciles the study's trials with their jobs, ends or fills the study under its
 * row lock; the workers' sweep does the same for every active study, so a lost message only delays it.
 */
export const tuningStudyMessageSchema = z.object({ studyId: z.string().uuid() }).strict();
export type TuningStudyMessage = z.infer<typeof tuningStudyMessageSchema>;
