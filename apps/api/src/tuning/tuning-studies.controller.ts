import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import type { CreateStudyRequest } from '@slipway/contracts';
import { CurrentActor, RequireRole, type RequestActor } from '../auth/auth.decorators';
import { Idempotent } from '../common/idempotency';
import { VersionDto } from '../registry/registry.dto';
import { TuningStudyService } from './tuning-study.service';
import {
  CreateStudyDto,
  RegisterBestDto,
  ResumeStudyDto,
  StopStudyDto,
  StudyIdParamsDto,
  StudyNameParamsDto,
  StudyQueryDto,
  TuningStudyDetailDto,
  TuningStudyDto,
  TuningStudyListDto,
} from './tuning.dto';

@ApiTags('tuning')
@Controller('api/v1/studies')
export class TuningStudiesController {
  constructor(private readonly studies: TuningStudyService) {}

  @Post()
  @Idempotent()
  @RequireRole('editor')
  @ApiOperation({
    summary:
      "Create a tuning study: one algorithm's search space (int/float/categorical dimensions, conditional `when`) over a dataset, grid/random/tpe, an objective metric, maxTrials and parallelism, optional early stopping and registerBest; RUNNING at once unless start: false",
  })
  @ZodResponse({ status: 201, type: TuningStudyDto })
  create(@Body() body: CreateStudyDto, @CurrentActor() actor: RequestActor) {
    return this.studies.create(body as CreateStudyRequest, actor);
  }

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List tuning studies, newest first, by status, algorithm or dataset; each with its trial counts and best trial' })
  @ZodResponse({ status: 200, type: TuningStudyListDto })
  list(@Query() query: StudyQueryDto) {
    return this.studies.list(query);
  }

  @Get('by-name/:name')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'One tuning study by its name, as GET /api/v1/studies/:id answers it' })
  @ZodResponse({ status: 200, type: TuningStudyDetailDto })
  getByName(@Param() params: StudyNameParamsDto) {
    return this.studies.getByName(params.name);
  }

  @Get(':id')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'One tuning study: status, counts, best trial, every trial (params, value, intermediate values) and parameter importance' })
  @ZodResponse({ status: 200, type: TuningStudyDetailDto })
  get(@Param() params: StudyIdParamsDto) {
    return this.studies.get(params.id);
  }

  @Post(':id/start')
  @HttpCode(200)
  @RequireRole('editor')
  @ApiOperation({ summary: 'Start a CREATED study (optionally with a new maxTrials / maxFailedTrials); 409 in any other state' })
  @ZodResponse({ status: 200, type: TuningStudyDto })
  start(@Param() params: StudyIdParamsDto, @Body() body: ResumeStudyDto, @CurrentActor() actor: RequestActor) {
    return this.studies.start(params.id, body, actor);
  }

  @Post(':id/stop')
  @HttpCode(200)
  @RequireRole('editor')
  @ApiOperation({
    summary:
      'Stop a RUNNING study: STOPPING until its queued trials are cancelled and running ones stopped, then STOPPED (a CREATED one at once); 409 once ended',
  })
  @ZodResponse({ status: 200, type: TuningStudyDto })
  stop(@Param() params: StudyIdParamsDto, @Body() body: StopStudyDto, @CurrentActor() actor: RequestActor) {
    return this.studies.stop(params.id, body, actor);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @RequireRole('editor')
  @ApiOperation({
    summary:
      'Resume a STOPPED, FAILED or COMPLETED study (RUNNING again): a COMPLETED one needs a higher maxTrials, one FAILED on failed trials a higher maxFailedTrials; 409 says what to raise',
  })
  @ZodResponse({ status: 200, type: TuningStudyDto })
  resume(@Param() params: StudyIdParamsDto, @Body() body: ResumeStudyDto, @CurrentActor() actor: RequestActor) {
    return this.studies.resume(params.id, body, actor);
  }

  @Post(':id/register-best')
  @HttpCode(200)
  @RequireRole('editor')
  @ApiOperation({
    summary:
      "Register the best completed trial's model as the next version of a model, optionally moving an alias; once per study (the same model again answers that version, another model 409); 409 without a completed trial",
  })
  @ZodResponse({ status: 200, type: VersionDto })
  registerBest(@Param() params: StudyIdParamsDto, @Body() body: RegisterBestDto, @CurrentActor() actor: RequestActor) {
    return this.studies.registerBest(params.id, body, actor);
  }
}
