import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { CurrentActor, RequireRole, type RequestActor } from '../auth/auth.decorators';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  DeliveryDto,
  DeliveryListDto,
  DeliveryQueryDto,
  UpdateWebhookDto,
  WebhookDto,
  WebhookIdParamsDto,
  WebhookListDto,
} from './webhooks.dto';
import { WebhooksService } from './webhooks.service';
import { Idempotent } from '../common/idempotency';

@ApiTags('webhooks')
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Idempotent()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Subscribe a URL to registry events; the HMAC secret is in this response only' })
  @ZodResponse({ status: 201, type: CreatedWebhookDto })
  create(@Body() body: CreateWebhookDto, @CurrentActor() actor: RequestActor) {
    return this.webhooks.create(body, actor);
  }

  @Get()
  @RequireRole('admin')
  @ApiOperation({ summary: 'List webhooks (never their secrets)' })
  @ZodResponse({ status: 200, type: WebhookListDto })
  async list() {
    return { webhooks: await this.webhooks.list() };
  }

  @Get(':id')
  @RequireRole('admin')
  @ApiOperation({ summary: 'One webhook' })
  @ZodResponse({ status: 200, type: WebhookDto })
  get(@Param() params: WebhookIdParamsDto) {
    return this.webhooks.get(params.id);
  }

  @Patch(':id')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Change a webhook: name, URL, events, active, secret' })
  @ZodResponse({ status: 200, type: WebhookDto })
  update(@Param() params: WebhookIdParamsDto, @Body() body: UpdateWebhookDto, @CurrentActor() actor: RequestActor) {
    return this.webhooks.update(params.id, body, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole('admin')
  @ApiOperation({ summary: 'Delete a webhook and its delivery history' })
  async remove(@Param() params: WebhookIdParamsDto, @CurrentActor() actor: RequestActor) {
    await this.webhooks.remove(params.id, actor);
  }

  @Post(':id/ping')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Queue a signed `ping` delivery to test the receiver' })
  @ZodResponse({ status: 201, type: DeliveryDto })
  ping(@Param() params: WebhookIdParamsDto, @CurrentActor() actor: RequestActor) {
    return this.webhooks.ping(params.id, actor);
  }

  @Get(':id/deliveries')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Delivery history, newest first: status, attempts, response code and body, error' })
  @ZodResponse({ status: 200, type: DeliveryListDto })
  deliveries(@Param() params: WebhookIdParamsDto, @Query() query: DeliveryQueryDto) {
    return this.webhooks.deliveries(params.id, query);
  }
}
