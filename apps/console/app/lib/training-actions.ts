'use server';

import { cancelTrainingJobRequestSchema, createTrainingJobRequestSchema, registerTrainingJobRequestSchema, uuidText } from '@slipway/contracts';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { type ActionOutcome, idempotencyKeySchema, invalidOutcome as invalid, noIdempotencyKeyOutcome, refusedOutcome as refused } from './action-result';
import { cancelTrainingJob, createTrainingJob, registerTrainingJob } from './training-api';

/** What a training action answers the browser: done (with what it made), or why not, with the fields to mark. */
export type TrainingActionOutcome<T> = ActionOutcome<T>;

const jobIdSchema = uuidText();

/**
 * Queues a training job. The body is checked here with the API's own contract first, so a request the API would
 * refuse is refused with the same field names without a round trip; the API checks it again (it is the authority).
 */
export async function createTrainingJobAction(request: unknown, idempotencyKey: string): Promise<TrainingActionOutcome<{ id: string }>> {
  const key = idempotencyKeySchema.safeParse(idempotencyKey);
  if (!key.success) return noIdempotencyKeyOutcome;
  const parsed = createTrainingJobRequestSchema.safeParse(request);
  if (!parsed.success) return invalid(parsed.error, 'Some fields are not valid.');
  // The input as given (not the parsed output with its defaults filled in): the API applies the defaults it serves.
  const result = await createTrainingJob(request as z.input<typeof createTrainingJobRequestSchema>, key.data);
  if (!result.ok) return refused(result.error);
  revalidatePath('/training');
  return { ok: true, data: { id: result.data.id } };
}

export async function cancelTrainingJobAction(id: string, reason: string): Promise<TrainingActionOutcome<{ status: string }>> {
  const jobId = jobIdSchema.safeParse(id);
  if (!jobId.success) return invalid(jobId.error, 'Not a training job id.');
  const body = cancelTrainingJobRequestSchema.safeParse(reason.trim() === '' ? {} : { reason: reason.trim() });
  if (!body.success) return invalid(body.error, 'The reason is not valid.');
  const result = await cancelTrainingJob(jobId.data, body.data);
  if (!result.ok) return refused(result.error);
  revalidatePath('/training');
  return { ok: true, data: { status: result.data.status } };
}

export async function registerTrainingJobAction(
  id: string,
  request: { model: string; alias?: string },
): Promise<TrainingActionOutcome<{ model: string; version: number; aliases: string[] }>> {
  const jobId = jobIdSchema.safeParse(id);
  if (!jobId.success) return invalid(jobId.error, 'Not a training job id.');
  const alias = request.alias?.trim();
  const body = registerTrainingJobRequestSchema.safeParse({ model: request.model.trim(), ...(alias ? { alias } : {}) });
  if (!body.success) return invalid(body.error, 'Some fields are not valid.');
  const result = await registerTrainingJob(jobId.data, body.data);
  if (!result.ok) return refused(result.error);
  revalidatePath(`/models/${encodeURIComponent(result.data.model)}`);
  return { ok: true, data: { model: result.data.model, version: result.data.version, aliases: result.data.aliases } };
}
