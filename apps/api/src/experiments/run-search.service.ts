import { Injectable } from '@nestjs/common';
import {
  ErrorCode,
  metricValueFromNumber,
  parseRunFilter,
  parseRunOrderBy,
  SlipwayError,
  type MetricHistory,
  type MetricHistoryQuery,
  type RunSearchResult,
  type SearchRunsRequest,
  wireTime,
} from '@slipway/contracts';
import { UnitOfWork } from '@slipway/db';
import { inRequestFields } from '../common/request-fields';
import { toRunSummaryView } from './experiments.views';

@Injectable()
export class RunSearchService {
  constructor(private readonly db: UnitOfWork) {}

  /** `location` is where the request came from (`body` for POST, `query` for GET), for naming wrong fields. */
  async searchRuns(request: SearchRunsRequest, location: 'body' | 'query'): Promise<RunSearchResult> {
    // The schema has already checked both; parsing again yields the typed forms.
    const filter = parseRunFilter(request.filter);
    const orderBy = parseRunOrderBy(request.orderBy);
    if (!filter.ok) throw new SlipwayError(ErrorCode.INVALID_ARGUMENT, filter.error.message, [{ field: `${location}.filter`, message: filter.error.message }]);
    if (!orderBy.ok)
      throw new SlipwayError(ErrorCode.INVALID_ARGUMENT, orderBy.error.message, [{ field: `${location}.orderBy`, message: orderBy.error.message }]);
    const page = await inRequestFields({ cursor: `${location}.cursor` }, () =>
      this.db.read.runSearch.search({
        filter: filter.ast,
        orderBy: orderBy.orderBy,
        experimentIds: request.experimentIds,
        lifecycle: request.lifecycle,
        limit: request.limit,
        cursor: request.cursor,
        // Cursors stay valid across whitespace or keyword-case changes: they are bound to the parsed query.
        queryText: JSON.stringify([filter.ast, orderBy.orderBy]),
      }),
    );
    return { runs: page.runs.map(toRunSummaryView), nextCursor: page.nextCursor };
  }

  async metricHistory(runId: string, key: string, query: MetricHistoryQuery): Promise<MetricHistory> {
    if (!(await this.db.read.runs.get(runId))) throw new SlipwayError(ErrorCode.NOT_FOUND, `No run ${runId}`);
    const page = await inRequestFields({ cursor: 'query.cursor' }, () => this.db.read.metrics.history(runId, key, query));
    return {
      key,
      points: page.points.map((p) => ({ value: metricValueFromNumber(p.value), step: p.step, timestamp: wireTime(p.timestamp) })),
      nextCursor: page.nextCursor,
    };
  }
}
