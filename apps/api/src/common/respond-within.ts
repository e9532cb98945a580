import { ErrorCode, SlipwayError } from '@slipway/contracts';
import type { Transaction } from '@slipway/db';
import type { z } from 'zod';

/**
 * Builds a create's answer inside its unit of work, as the last step before commit: the view is checked
 * against the response schema here (the one the serializer checks it with later), so a change whose answer
 * cannot be rendered fails with its transaction and nothing of it commits — a 500 never leaves a change
 * behind. With an Idempotency-Key the answer is stored in the same transaction. Without a transaction it
 * only checks (a part of an answer, ahead of a change that spans several transactions). `status`: the answer's
 * status when it is not the route's usual one.
 */
export async function respondWithin<S extends z.ZodType>(
  tx: Transaction | null,
  schema: S,
  view: z.input<S>,
  options: { status?: number } = {},
): Promise<z.input<S>> {
  const checked = schema.safeParse(view);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new SlipwayError(
      ErrorCode.INTERNAL,
      `The response could not be rendered (${issue?.path.join('.') || 'body'}: ${issue?.message}); nothing was changed`,
    );
  }
  // null: only checking a part of an answer ahead of the change.
  await tx?.respond(checked.data, options.status);
  return view;
}
