import { cursorCodec, ErrorCode, SlipwayError, text, uuidText } from '@slipway/contracts';
import { z } from 'zod';

/**
 * Keyset paging of a list shown newest first, ties broken by id (datasets, training jobs, studies): the cursor holds
 * the last row's createdAt and id, and the next page is every row strictly before it in that order.
 */
export function newestFirstPaging(name: string) {
  const codec = cursorCodec(name, z.object({ createdAt: text({ max: 64 }), id: uuidText() }).strict());
  return {
    /** The Prisma `OR` that starts a page after `cursor` (undefined for the first page); a cursor whose time is not one is a 400 on `field`. */
    after(cursor: string | undefined, field = 'query.cursor') {
      if (cursor === undefined) return undefined;
      const after = codec.decode(cursor);
      const time = new Date(after.createdAt);
      if (Number.isNaN(time.getTime())) throw new SlipwayError(ErrorCode.INVALID_ARGUMENT, 'Malformed cursor', [{ field, message: 'malformed' }]);
      return [{ createdAt: { lt: time } }, { createdAt: time, id: { lt: after.id } }];
    },
    orderBy: [{ createdAt: 'desc' as const }, { id: 'desc' as const }],
    /** One page of `limit` from rows fetched with `take: limit + 1`, and the cursor of the next page when there is one. */
    page<R extends { createdAt: Date; id: string }>(rows: R[], limit: number): { rows: R[]; nextCursor: string | null } {
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { rows: page, nextCursor: rows.length > limit ? codec.encode({ createdAt: last.createdAt.toISOString(), id: last.id }) : null };
    },
  };
}
