import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { CurrentActor, RequireRole, type RequestActor } from '../auth/auth.decorators';
import { ModelService } from './model.service';
import { CreateModelDto, ModelDto, ModelListDto, ModelNameParamsDto, ModelQueryDto, UpdateModelDto } from './registry.dto';
import { Idempotent } from '../common/idempotency';

@ApiTags('registry')
@Controller('api/v1/models')
export class ModelsController {
  constructor(private readonly models: ModelService) {}

  @Post()
  @Idempotent()
  @RequireRole('editor')
  @ApiOperation({ summary: 'Register a model (unique name, description, tags)' })
  @ZodResponse({ status: 201, type: ModelDto })
  create(@Body() body: CreateModelDto, @CurrentActor() actor: RequestActor) {
    return this.models.create(body, actor);
  }

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List models by name, optionally searching the name or filtering by tag (`key` or `key=value`)' })
  @ZodResponse({ status: 200, type: ModelListDto })
  list(@Query() query: ModelQueryDto) {
    return this.models.list(query);
  }

  @Get(':name')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'One model with its latest version and aliases' })
  @ZodResponse({ status: 200, type: ModelDto })
  get(@Param() params: ModelNameParamsDto) {
    return this.models.get(params.name);
  }

  @Patch(':name')
  @RequireRole('editor')
  @ApiOperation({ summary: "Change a model's description and/or tags (tags are replaced as a whole)" })
  @ZodResponse({ status: 200, type: ModelDto })
  update(@Param() params: ModelNameParamsDto, @Body() body: UpdateModelDto, @CurrentActor() actor: RequestActor) {
    return this.models.update(params.name, body, actor);
  }

  @Delete(':name')
  @HttpCode(204)
  @RequireRole('editor')
  @ApiOperation({ summary: 'Delete a model with its versions and aliases; refused (409) while a deployment uses it' })
  async remove(@Param() params: ModelNameParamsDto, @CurrentActor() actor: RequestActor) {
    await this.models.remove(params.name, actor);
  }
}
