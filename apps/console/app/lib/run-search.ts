/** Runs per page on the runs page, first paint and every "Load more". */
export const RUN_PAGE_SIZE = 50;

/** Metric histories the run page charts (one request each); a run with more shows the rest as latest values only. */
export const MAX_CHARTED_METRICS = 24;
