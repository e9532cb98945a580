'use server';

import { createStudyRequestSchema, registerBestRequestSchema, resumeStudyRequestSchema, stopStudyRequestSchema, uuidText } from '@slipway/contracts';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { type ActionOutcome, idempotencyKeySchema, invalidOutcome as invalid, noIdempotencyKeyOutcome, refusedOutcome as refused } from '../action-result';
import { createStudy, registerBest, resumeStudy, stopStudy } from './studies-api';

/** What a study action answers the browser: what it did, or why not with the fields to mark. */
export type StudyActionOutcome<T> = ActionOutcome<T>;

const studyIdSchema = uuidText();

/**
 * Creates (and starts) a study. The body is checked with the API's own contract first, so what the API would
 * refuse is refused with the same field paths without a round trip; the API checks it again (it is the authority).
 */
export async function createStudyAction(request: unknown, idempotencyKey: string): Promise<StudyActionOutcome<{ id: string }>> {
  const key = idempotencyKeySchema.safeParse(idempotencyKey);
  if (!key.success) return noIdempotencyKeyOutcome;
  const parsed = createStudyRequestSchema.safeParse(request);
  if (!parsed.success) return invalid(parsed.error, 'Some fields are not valid.');
  // The input as given: the API fills in the defaults it serves.
  const result = await createStudy(request as z.input<typeof createStudyRequestSchema>, key.data);
  if (!result.ok) return refused(result.error);
  revalidatePath('/studies');
  return { ok: true, data: { id: result.data.id } };
}

export async function stopStudyAction(id: string, reason: string): Promise<StudyActionOutcome<{ status: string }>> {
  const studyId = studyIdSchema.safeParse(id);
  if (!studyId.success) return invalid(studyId.error, 'Not a study id.');
  const body = stopStudyRequestSchema.safeParse(reason.trim() === '' ? {} : { reason: reason.trim() });
  if (!body.success) return invalid(body.error, 'The reason is not valid.');
  const result = await stopStudy(studyId.data, body.data);
  if (!result.ok) return refused(result.error);
  revalidatePath('/studies');
  return { ok: true, data: { status: result.data.status } };
}

/** A count as typed: plain digits (the contract checks the range), blank for "keep the current one". */
function countText(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return /^\d{1,6}$/.test(t) ? Number(t) : Number.NaN;
}

/** Resumes a STOPPED, FAILED or COMPLETED study (or starts a CREATED one), optionally with a new budget and failure limit. */
export async function resumeStudyAction(
  id: string,
  limits: { maxTrials: string; maxFailedTrials?: string },
  action: 'resume' | 'start',
): Promise<StudyActionOutcome<{ status: string }>> {
  const studyId = studyIdSchema.safeParse(id);
  if (!studyId.success) return invalid(studyId.error, 'Not a study id.');
  const maxTrials = countText(limits.maxTrials);
  const maxFailedTrials = countText(limits.maxFailedTrials ?? '');
  const body = resumeStudyRequestSchema.safeParse({
    ...(maxTrials === undefined ? {} : { maxTrials }),
    ...(maxFailedTrials === undefined ? {} : { maxFailedTrials }),
  });
  if (!body.success) return invalid(body.error, 'The new limits are not valid.');
  const result = await resumeStudy(studyId.data, body.data, action);
  if (!result.ok) return refused(result.error);
  revalidatePath('/studies');
  return { ok: true, data: { status: result.data.status } };
}

export async function registerBestAction(
  id: string,
  request: { model: string; alias?: string },
): Promise<StudyActionOutcome<{ model: string; version: number } | null>> {
  const studyId = studyIdSchema.safeParse(id);
  if (!studyId.success) return invalid(studyId.error, 'Not a study id.');
  const alias = request.alias?.trim();
  const body = registerBestRequestSchema.safeParse({ model: request.model.trim(), ...(alias ? { alias } : {}) });
  if (!body.success) return invalid(body.error, 'Some fields are not valid.');
  const result = await registerBest(studyId.data, body.data);
  if (!result.ok) return refused(result.error);
  if (result.data) revalidatePath(`/models/${encodeURIComponent(result.data.model)}`);
  return { ok: true, data: result.data };
}
