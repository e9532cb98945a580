import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { ApiTokenDto, ApiTokenListDto, CreateApiTokenDto, CreatedApiTokenDto, TokenIdParamsDto, WhoAmIDto } from './auth.dto';
import { ApiTokenService } from './api-token.service';
import { CurrentActor, RequireRole, type RequestActor } from './auth.decorators';
import { Idempotent } from '../common/idempotency';

@ApiTags('auth')
@Controller('api/v1')
export class ApiTokenController {
  constructor(private readonly tokens: ApiTokenService) {}

  @Get('whoami')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'The calling token: name and role' })
  @ZodResponse({ status: 200, type: WhoAmIDto })
  whoAmI(@CurrentActor() actor: RequestActor) {
    return { tokenId: actor.tokenId, name: actor.name, role: actor.role };
  }

  @Post('tokens')
  @Idempotent({ withholdResponse: true })
  @RequireRole('admin')
  @ApiOperation({ summary: 'Create an API token; the token is in this response only' })
  @ZodResponse({ status: 201, type: CreatedApiTokenDto })
  create(@Body() body: CreateApiTokenDto, @CurrentActor() actor: RequestActor) {
    return this.tokens.create(body, actor);
  }

  @Get('tokens')
  @RequireRole('admin')
  @ApiOperation({ summary: 'List API tokens (never the tokens themselves)' })
  @ZodResponse({ status: 200, type: ApiTokenListDto })
  async list() {
    return { tokens: await this.tokens.list() };
  }

  @Delete('tokens/:id')
  @HttpCode(200)
  @RequireRole('admin')
  @ApiOperation({ summary: 'Revoke an API token' })
  @ZodResponse({ status: 200, type: ApiTokenDto })
  revoke(@Param() params: TokenIdParamsDto, @CurrentActor() actor: RequestActor) {
    return this.tokens.revoke(params.id, actor);
  }
}
