import { z } from 'zod';
import type { ApiFailure } from './api-result';
import type { FieldProblem } from './hyperparameter-form';
import { formPathOfApiField } from './hyperparameter-form';

/**
 * What a form's server action answers the browser: done (with what it made), or why not, with the fields to mark.
 * Training and studies share it so one refusal notice can render either.
 */
export type ActionOutcome<T> = { ok: true; data: T } | { ok: false; message: string; code?: string; httpStatus?: number; fields: FieldProblem[] };

/** The API refused: its field paths are mapped to the form's own paths, so the right inputs get marked. */
export function refusedOutcome(failure: ApiFailure): ActionOutcome<never> {
  return {
    ok: false,
    message: failure.message,
    code: failure.code,
    httpStatus: failure.status,
    fields: (failure.fields ?? []).map((f) => ({ field: formPathOfApiField(f.field), message: f.message })),
  };
}

/** The action's own check (the API's contract, run before the round trip) refused. */
export function invalidOutcome(error: z.ZodError, message: string): ActionOutcome<never> {
  return { ok: false, message, fields: error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })) };
}

/** The Idempotency-Key a form generated for one submission: 1-255 visible ASCII characters, as the API takes it. */
export const idempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,255}$/);

/** Sent when a form's Idempotency-Key is missing or malformed (a stale page, most likely). */
export const noIdempotencyKeyOutcome: ActionOutcome<never> = {
  ok: false,
  message: 'The form sent no usable Idempotency-Key; reload the page.',
  fields: [],
};
