import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto, ZodResponse } from 'nestjs-zod';
import { deploymentConflictSchema, type CreateDeploymentRequest, type UpdateDeploymentRequest } from '@slipway/contracts';
import { CurrentActor, RequireRole, type RequestActor } from '../auth/auth.decorators';
import { Idempotent } from '../common/idempotency';
import { DeploymentService } from './deployment.service';
import {
  CreateDeploymentDto,
  DeploymentActionDto,
  DeploymentDto,
  DeploymentEventListDto,
  DeploymentEventQueryDto,
  DeploymentListDto,
  DeploymentNameParamsDto,
  DeploymentQueryDto,
  DeploymentRevisionListDto,
  DeploymentRevisionQueryDto,
  SetShadowDto,
  StartCanaryDto,
  StartRolloutDto,
  UpdateDeploymentDto,
} from './deployments.dto';

const STALE = ' A stale baseRevision is a 409 whose body carries the deployment as it is now (`current`).';

/** The body of a stale-baseRevision 409 in the OpenAPI document (the filter answers it from StaleStateError). */
class DeploymentConflictDto extends createZodDto(deploymentConflictSchema) {}

/** Declared on every action that takes a baseRevision, so generated clients type the 409 they must handle. */
const StaleRevisionResponse = () =>
  ApiConflictResponse({
    description:
      'CONFLICT. A stale baseRevision: `current` is the deployment as it is now, to decide again from. A state that forbids the action (no canary to promote, a deleted deployment) is the same code without `current`.',
    type: DeploymentConflictDto.Output,
  });

@ApiTags('deployments')
@Controller('api/v1/deployments')
export class DeploymentsController {
  constructor(private readonly deployments: DeploymentService) {}

  @Post()
  @Idempotent()
  @RequireRole('editor')
  @ApiOperation({
    summary:
      'Deploy a READY version of a model (version, or alias: what it points at now; followAlias keeps following it, acting per aliasPolicy redeploy|rollout): revision 1',
  })
  @ZodResponse({ status: 201, type: DeploymentDto })
  create(@Body() body: CreateDeploymentDto, @CurrentActor() actor: RequestActor) {
    return this.deployments.create(body as CreateDeploymentRequest, actor);
  }

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List deployments, newest first, by status (DELETED ones only when asked for) or model' })
  @ZodResponse({ status: 200, type: DeploymentListDto })
  list(@Query() query: DeploymentQueryDto) {
    return this.deployments.list(query);
  }

  @Get(':name')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'One deployment: its current revision (stable, canary, shadow, rollout step), alias policy and plan' })
  @ZodResponse({ status: 200, type: DeploymentDto })
  get(@Param() params: DeploymentNameParamsDto) {
    return this.deployments.get(params.name);
  }

  @Patch(':name')
  @RequireRole('editor')
  @ApiOperation({ summary: "Change a deployment's description, alias policy or own rollout plan (what serves is unchanged: no revision)" })
  @ZodResponse({ status: 200, type: DeploymentDto })
  update(@Param() params: DeploymentNameParamsDto, @Body() body: UpdateDeploymentDto, @CurrentActor() actor: RequestActor) {
    return this.deployments.update(params.name, body as UpdateDeploymentRequest, actor);
  }

  @Delete(':name')
  @RequireRole('editor')
  @ApiOperation({ summary: 'Delete a deployment: DELETED, nothing is served; its revisions and events stay readable' })
  @ZodResponse({ status: 200, type: DeploymentDto })
  remove(@Param() params: DeploymentNameParamsDto, @CurrentActor() actor: RequestActor) {
    return this.deployments.remove(params.name, actor);
  }

  @Get(':name/revisions')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'The revision history, newest first: each action with what it served, who, when and why' })
  @ZodResponse({ status: 200, type: DeploymentRevisionListDto })
  revisions(@Param() params: DeploymentNameParamsDto, @Query() query: DeploymentRevisionQueryDto) {
    return this.deployments.revisions(params.name, query);
  }

  @Get(':name/events')
  @RequireRole('viewer')
  @ApiOperation({ summary: "The deployment's events, newest first, optionally of one type" })
  @ZodResponse({ status: 200, type: DeploymentEventListDto })
  events(@Param() params: DeploymentNameParamsDto, @Query() query: DeploymentEventQueryDto) {
    return this.deployments.events(params.name, query);
  }

  @Post(':name/canary')
  @HttpCode(200)
  @RequireRole('editor')
  @ApiOperation({ summary: `Start a canary: percent of traffic (random, or sticky by a header or input field) to a READY version other than stable.${STALE}` })
  @ZodResponse({ status: 200, type: DeploymentDto })
  @StaleRevisionResponse()
  canary(@Param() params: DeploymentNameParamsDto, @Body() body: StartCanaryDto, @CurrentActor() actor: RequestActor) {
    return this.deployments.canary(params.name, body, actor);
  }

  @Post(':name/shadow')
  @HttpCode(200)
  @RequireRole('editor')
  @ApiOperation({ summary: `Mirror percent of traffic to a READY version (never answering), or stop with version null.${STALE}` })
  @ZodResponse({ status: 200, type: DeploymentDto })
  @StaleRevisionResponse()
  shadow(@Param() params: DeploymentNameParamsDto, @Body() body: SetShadowDto, @CurrentActor() actor: RequestActor) {
    return this.deployments.shadow(params.name, body, actor);
  }

  @Post(':name/rollout')
  @HttpCode(200)
  @RequireRole('editor')
  @ApiOperation({ summary: `Start a rollout plan for a READY version (the deployment's own plan when none is given): canary at the first step.${STALE}` })
  @ZodResponse({ status: 200, type: DeploymentDto })
  @StaleRevisionResponse()
  rollout(@Param() params: DeploymentNameParamsDto, @Body() body: StartRolloutDto, @CurrentActor() actor: RequestActor) {
    return this.deployments.rollout(params.name, body, actor);
  }

  @Post(':name/promote')
  @HttpCode(200)
  @RequireRole('editor')
  @ApiOperation({ summary: `Promote the canary to stable.${STALE}` })
  @ZodResponse({ status: 200, type: DeploymentDto })
  @StaleRevisionResponse()
  promote(@Param() params: DeploymentNameParamsDto, @Body() body: DeploymentActionDto, @CurrentActor() actor: RequestActor) {
    return this.deployments.promote(params.name, body, actor);
  }

  @Post(':name/rollback')
  @HttpCode(200)
  @RequireRole('editor')
  @ApiOperation({ summary: `Roll back: drop the canary when there is one, else serve the previous stable version again.${STALE}` })
  @ZodResponse({ status: 200, type: DeploymentDto })
  @StaleRevisionResponse()
  rollback(@Param() params: DeploymentNameParamsDto, @Body() body: DeploymentActionDto, @CurrentActor() actor: RequestActor) {
    return this.deployments.rollback(params.name, body, actor);
  }

  @Post(':name/abort')
  @HttpCode(200)
  @RequireRole('editor')
  @ApiOperation({ summary: `Abort a canary or rollout where it is: stable serves all traffic.${STALE}` })
  @ZodResponse({ status: 200, type: DeploymentDto })
  @StaleRevisionResponse()
  abort(@Param() params: DeploymentNameParamsDto, @Body() body: DeploymentActionDto, @CurrentActor() actor: RequestActor) {
    return this.deployments.abort(params.name, body, actor);
  }
}
