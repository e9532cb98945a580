import { z } from 'zod';
import { cursorSchema } from './cursor';
import { queryInt } from './primitives';

/** How many rows one page of a list may hold, and how many it holds when the query does not say. */
export interface PageLimits {
  max: number;
  default: number;
}

/**
 * The query of a paginated list: the list's own filters, then `limit` (coerced from the query string, 1 to
 * `limits.max`, `limits.default` when absent) and `cursor` (opaque: the previous page's `nextCursor`). Strict:
 * an unknown parameter is a 400, not silently ignored.
 */
export function pageQuerySchema<F extends z.ZodRawShape>(filters: F, limits: PageLimits) {
  return z
    .object({
      ...filters,
      limit: queryInt({ min: 1, max: limits.max, default: limits.default }),
      cursor: cursorSchema.optional(),
    })
    .strict();
}
