import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import type { OverviewResponse, WorkerListResponse } from '@slipway/contracts';
import { isConnected, toWorkerSummary, UnitOfWork } from '@slipway/db';
import { RequireRole } from '../auth/auth.decorators';
import { OverviewResponseDto, WorkerListResponseDto } from './platform.dto';

@ApiTags('platform')
@Controller('api/v1')
export class OverviewController {
  constructor(private readonly db: UnitOfWork) {}

  @Get('overview')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Counts of models, versions, experiments, runs, deployments, jobs and connected workers' })
  @ZodResponse({ status: 200, type: OverviewResponseDto })
  async getOverview(): Promise<OverviewResponse> {
    const counts = await this.db.read.overview.counts();
    return {
      models: counts.models,
      modelVersions: counts.modelVersions,
      experiments: counts.experiments,
      runs: counts.runs,
      deployments: counts.deployments,
      trainingJobs: counts.trainingJobs,
      workers: { connected: counts.workersConnected },
      generatedAt: new Date().toISOString(),
    };
  }

  @Get('workers')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Workers seen in the last hour, with their TensorFlow.js backend and heartbeat' })
  @ZodResponse({ status: 200, type: WorkerListResponseDto })
  async listWorkers(): Promise<WorkerListResponse> {
    const now = new Date();
    const workers = await this.db.read.workers.listRecent();
    return {
      workers: workers.map((w) => ({ ...toWorkerSummary(w), connected: isConnected(w, now) })),
    };
  }
}
