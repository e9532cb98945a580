import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { CurrentActor, RequireRole, type RequestActor } from '../auth/auth.decorators';
import {
  CreateRunDto,
  EndRunDto,
  IdParamsDto,
  LogBatchDto,
  LogBatchResultDto,
  MetricHistoryDto,
  MetricHistoryParamsDto,
  MetricHistoryQueryDto,
  RunDto,
  RunSearchResultDto,
  SearchRunsDto,
  SearchRunsQueryDto,
} from './experiments.dto';
import { RunSearchService } from './run-search.service';
import { RunService } from './run.service';
import { Idempotent } from '../common/idempotency';

@ApiTags('runs')
@Controller('api/v1/runs')
export class RunsController {
  constructor(
    private readonly runs: RunService,
    private readonly queries: RunSearchService,
  ) {}

  // Declared before ':id' so `search` is never taken for a run id.
  @Post('search')
  @HttpCode(200)
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Search runs: filter (metrics/params/tags/attributes, AND/OR/NOT/IN, parentheses), sort by any metric, cursor pages' })
  @ZodResponse({ status: 200, type: RunSearchResultDto })
  search(@Body() body: SearchRunsDto) {
    return this.queries.searchRuns(body, 'body');
  }

  @Get('search')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Search runs with query parameters (experimentIds comma-separated)' })
  @ZodResponse({ status: 200, type: RunSearchResultDto })
  searchByQuery(@Query() query: SearchRunsQueryDto) {
    return this.queries.searchRuns(query, 'query');
  }

  @Post()
  @Idempotent()
  @RequireRole('editor')
  @ApiOperation({ summary: 'Start a run in an experiment (by id, or by name: created if missing)' })
  @ZodResponse({ status: 201, type: RunDto })
  create(@Body() body: CreateRunDto, @CurrentActor() actor: RequestActor) {
    return this.runs.create(body, actor);
  }

  @Get(':id')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'One run: params, tags, latest metrics, artifacts' })
  @ZodResponse({ status: 200, type: RunDto })
  get(@Param() params: IdParamsDto) {
    return this.runs.get(params.id);
  }

  @Post(':id/log-batch')
  @Idempotent()
  @HttpCode(200)
  @RequireRole('editor')
  @ApiOperation({ summary: 'Log metrics (≤ 1000 points), params (immutable, ≤ 100) and tags (≤ 100) to a RUNNING run, atomically' })
  @ZodResponse({ status: 200, type: LogBatchResultDto })
  logBatch(@Param() params: IdParamsDto, @Body() body: LogBatchDto, @CurrentActor() actor: RequestActor) {
    return this.runs.logBatch(params.id, body, actor);
  }

  @Post(':id/end')
  @HttpCode(200)
  @RequireRole('editor')
  @ApiOperation({ summary: 'End a RUNNING run as FINISHED, FAILED or KILLED' })
  @ZodResponse({ status: 200, type: RunDto })
  end(@Param() params: IdParamsDto, @Body() body: EndRunDto, @CurrentActor() actor: RequestActor) {
    return this.runs.end(params.id, body, actor);
  }

  @Delete(':id')
  @HttpCode(200)
  @RequireRole('editor')
  @ApiOperation({ summary: 'Soft-delete a run: it leaves search results until restored' })
  @ZodResponse({ status: 200, type: RunDto })
  delete(@Param() params: IdParamsDto, @CurrentActor() actor: RequestActor) {
    return this.runs.delete(params.id, actor);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequireRole('editor')
  @ApiOperation({ summary: 'Restore a soft-deleted run' })
  @ZodResponse({ status: 200, type: RunDto })
  restore(@Param() params: IdParamsDto, @CurrentActor() actor: RequestActor) {
    return this.runs.restore(params.id, actor);
  }

  @Get(':id/metrics/:key/history')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Every point of one metric, in step order, cursor-paginated (for charts)' })
  @ZodResponse({ status: 200, type: MetricHistoryDto })
  history(@Param() params: MetricHistoryParamsDto, @Query() query: MetricHistoryQueryDto) {
    return this.queries.metricHistory(params.id, params.key, query);
  }
}
