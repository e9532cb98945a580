import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import type { CreateTrainingJobRequest } from '@slipway/contracts';
import type { Response } from 'express';
import { CurrentActor, RequireRole, type RequestActor } from '../auth/auth.decorators';
import { Idempotent } from '../common/idempotency';
import { VersionDto } from '../registry/registry.dto';
import { TrainingAlgorithmCatalogue } from './training-algorithms';
import { TrainingJobService } from './training-job.service';
import {
  CancelTrainingJobDto,
  CreateTrainingJobDto,
  RegisterTrainingJobDto,
  TrainingAlgorithmListDto,
  TrainingJobDto,
  TrainingJobIdParamsDto,
  TrainingJobListDto,
  TrainingJobQueryDto,
} from './training.dto';

@ApiTags('training')
@Controller('api/v1/training-jobs')
export class TrainingJobsController {
  constructor(
    private readonly jobs: TrainingJobService,
    private readonly catalogue: TrainingAlgorithmCatalogue,
  ) {}

  @Get('algorithms')
  @RequireRole('viewer')
  @ApiOperation({ summary: "The trainable algorithms: each one's hyper-parameters as JSON Schema (defaults, bounds), tasks and dataset kind" })
  @ZodResponse({ status: 200, type: TrainingAlgorithmListDto })
  algorithms() {
    return this.catalogue.list();
  }

  @Post()
  @Idempotent()
  @RequireRole('editor')
  @ApiOperation({
    summary:
      'Queue a training job: a dataset (+ target and feature columns), an algorithm with its hyper-parameters, an evaluation plan, a seed, and optionally registerAs { model, alias }',
  })
  @ZodResponse({ status: 201, type: TrainingJobDto })
  create(@Body() body: CreateTrainingJobDto, @CurrentActor() actor: RequestActor) {
    return this.jobs.create(body as CreateTrainingJobRequest, actor);
  }

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List training jobs, newest first, by status, dataset or algorithm' })
  @ZodResponse({ status: 200, type: TrainingJobListDto })
  list(@Query() query: TrainingJobQueryDto) {
    return this.jobs.list(query);
  }

  @Get(':id')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'One training job: status, live progress, attempts (with their runs), evaluation and result' })
  @ZodResponse({ status: 200, type: TrainingJobDto })
  get(@Param() params: TrainingJobIdParamsDto) {
    return this.jobs.get(params.id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequireRole('editor')
  @ApiOperation({ summary: 'Cancel a job: a QUEUED one at once, a RUNNING one within seconds (the worker aborts training); 409 once it has ended' })
  @ZodResponse({ status: 200, type: TrainingJobDto })
  cancel(@Param() params: TrainingJobIdParamsDto, @Body() body: CancelTrainingJobDto, @CurrentActor() actor: RequestActor) {
    return this.jobs.cancel(params.id, body, actor);
  }

  @Post(':id/register')
  @RequireRole('editor')
  @ApiOperation({
    summary:
      "Register a SUCCEEDED job's model as the next version of a model (evaluation, input schema and training profile copied in), optionally moving an alias; again for the same model answers 200 with that version",
  })
  @ZodResponse({ status: 201, type: VersionDto })
  async register(
    @Param() params: TrainingJobIdParamsDto,
    @Body() body: RegisterTrainingJobDto,
    @Res({ passthrough: true }) response: Response,
    @CurrentActor() actor: RequestActor,
  ) {
    const result = await this.jobs.register(params.id, body, actor);
    response.status(result.created ? 201 : 200);
    return result.version;
  }
}
