import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { CurrentActor, RequireRole, type RequestActor } from '../auth/auth.decorators';
import { CreateExperimentDto, ExperimentDto, ExperimentListDto, IdParamsDto, ListExperimentsQueryDto, UpdateExperimentDto } from './experiments.dto';
import { ExperimentService } from './experiment.service';
import { Idempotent } from '../common/idempotency';

@ApiTags('experiments')
@Controller('api/v1/experiments')
export class ExperimentsController {
  constructor(private readonly experiments: ExperimentService) {}

  @Post()
  @Idempotent()
  @RequireRole('editor')
  @ApiOperation({ summary: 'Create an experiment (names are unique)' })
  @ZodResponse({ status: 201, type: ExperimentDto })
  create(@Body() body: CreateExperimentDto, @CurrentActor() actor: RequestActor) {
    return this.experiments.create(body, actor);
  }

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List experiments by name, cursor-paginated' })
  @ZodResponse({ status: 200, type: ExperimentListDto })
  list(@Query() query: ListExperimentsQueryDto) {
    return this.experiments.list(query);
  }

  @Get(':id')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'One experiment' })
  @ZodResponse({ status: 200, type: ExperimentDto })
  get(@Param() params: IdParamsDto) {
    return this.experiments.get(params.id);
  }

  @Patch(':id')
  @RequireRole('editor')
  @ApiOperation({ summary: 'Rename an experiment, change its description or replace its tags' })
  @ZodResponse({ status: 200, type: ExperimentDto })
  update(@Param() params: IdParamsDto, @Body() body: UpdateExperimentDto, @CurrentActor() actor: RequestActor) {
    return this.experiments.update(params.id, body, actor);
  }
}
