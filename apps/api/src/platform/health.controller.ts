import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ZodResponse } from 'nestjs-zod';
import type { HealthResponse } from '@slipway/contracts';
import { Public } from '../auth/auth.decorators';
import { HealthService } from './health.service';
import { HealthResponseDto } from './platform.dto';

@ApiTags('platform')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Database, queue, object store and connected workers; 503 when a component is down. Public.' })
  @ZodResponse({ status: 200, type: HealthResponseDto, description: 'ok, or 503 with the same body when down' })
  async get(@Res({ passthrough: true }) response: Response): Promise<HealthResponse> {
    const result = await this.health.check();
    if (result.status !== 'OK') response.status(503);
    return result;
  }
}
