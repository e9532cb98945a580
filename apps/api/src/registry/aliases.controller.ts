import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { CurrentActor, RequireRole, type RequestActor } from '../auth/auth.decorators';
import { AliasService } from './alias.service';
import { AliasDto, AliasParamsDto, SetAliasDto } from './registry.dto';

@ApiTags('registry')
@Controller('api/v1/models/:name/aliases')
export class AliasesController {
  constructor(private readonly aliases: AliasService) {}

  @Get(':alias')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'The version an alias points at' })
  @ZodResponse({ status: 200, type: AliasDto })
  get(@Param() params: AliasParamsDto) {
    return this.aliases.get(params.name, params.alias);
  }

  @Put(':alias')
  @RequireRole('editor')
  @ApiOperation({ summary: 'Set or move an alias to a READY version (recorded in the audit log, announced as alias.moved)' })
  @ZodResponse({ status: 200, type: AliasDto })
  set(@Param() params: AliasParamsDto, @Body() body: SetAliasDto, @CurrentActor() actor: RequestActor) {
    return this.aliases.set(params.name, params.alias, body.version, actor);
  }

  @Delete(':alias')
  @HttpCode(204)
  @RequireRole('editor')
  @ApiOperation({ summary: 'Delete an alias' })
  async remove(@Param() params: AliasParamsDto, @CurrentActor() actor: RequestActor) {
    await this.aliases.remove(params.name, params.alias, actor);
  }
}
