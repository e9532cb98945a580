import {
  DEFAULT_RUN_ORDER_BY,
  parseRunFilter,
  parseRunOrderBy,
  searchRunsRequestSchema,
  type RunFilterError,
  type SearchRunsRequest,
} from '@slipway/contracts';
import { z } from 'zod';

/** Runs per page on the runs page, first paint and every "Load more". */
export const RUN_PAGE_SIZE = 50;

/** Metric histories the run page charts (one request each); a run with more shows the rest as latest values only. */
export const MAX_CHARTED_METRICS = 24;

declare const checked: unique symbol;

/**
 * A run search whose filter and sort this process has parsed, once, with the API's own parser. Only
 * checkRunSearch makes one, and lib/api.ts's searchRuns takes nothing else: the search crosses into the
 * console's server once (parsed here) and into the API once (parsed there), never parsed twice in one process.
 */
export type CheckedRunSearch = SearchRunsRequest & { readonly [checked]: true };

export interface RunSearchProblem {
  /** The request field, as the API would name it (`body.filter`, `body.limit`). */
  field: string;
  message: string;
  /** Where in the filter or sort text, for those two. */
  syntax?: RunFilterError;
}

export type RunSearchCheck =
  { ok: true; search: CheckedRunSearch } | { ok: false; problems: RunSearchProblem[]; filterError?: RunFilterError; orderError?: RunFilterError };

// The contract's request schema without its filter and sort refinements (each would parse the text once more);
// those two are parsed below, once, keeping the error's column for the form (the filter parser also enforces
// the filter's length limit, at its column).
const requestShapeSchema = searchRunsRequestSchema.omit({ filter: true, orderBy: true }).extend({
  filter: z.string().default(''),
  orderBy: z.string().max(400).optional(),
});

/** Checks a search (a route handler's body, the runs page's query) the one time this process parses it. */
export function checkRunSearch(input: unknown): RunSearchCheck {
  const shape = requestShapeSchema.safeParse(input);
  if (!shape.success) {
    return { ok: false, problems: shape.error.issues.map((issue) => ({ field: ['body', ...issue.path].join('.'), message: issue.message })) };
  }
  const { orderBy = DEFAULT_RUN_ORDER_BY, ...rest } = shape.data;
  const filterResult = parseRunFilter(shape.data.filter);
  const orderResult = parseRunOrderBy(orderBy);
  const filterError = filterResult.ok ? undefined : filterResult.error;
  const orderError = orderResult.ok ? undefined : orderResult.error;
  if (filterError || orderError) {
    const problems: RunSearchProblem[] = [];
    if (filterError) problems.push({ field: 'body.filter', message: filterError.message, syntax: filterError });
    if (orderError) problems.push({ field: 'body.orderBy', message: orderError.message, syntax: orderError });
    return { ok: false, problems, filterError, orderError };
  }
  return { ok: true, search: { ...rest, orderBy } as CheckedRunSearch };
}

/** A text the server has already parsed, with what it found. */
export interface CheckedText {
  text: string;
  error?: RunFilterError;
}

/**
 * The form's syntax error for the filter as typed: the server's answer while the text is still the one it
 * checked (so rendering the page, on the server or hydrating, parses nothing more), else one parse here.
 */
export function filterErrorFor(filter: string, checkedByServer: CheckedText): RunFilterError | undefined {
  if (filter === checkedByServer.text) return checkedByServer.error;
  const result = parseRunFilter(filter);
  return result.ok ? undefined : result.error;
}

/** The same for the sort. */
export function orderErrorFor(orderBy: string, checkedByServer: CheckedText): RunFilterError | undefined {
  if (orderBy === checkedByServer.text) return checkedByServer.error;
  const result = parseRunOrderBy(orderBy);
  return result.ok ? undefined : result.error;
}
