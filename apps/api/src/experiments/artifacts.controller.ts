import { pipeline } from 'node:stream/promises';
import { Controller, Get, Param, Put, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import type { Request, Response } from 'express';
import { CurrentActor, RequireRole, type RequestActor } from '../auth/auth.decorators';
import { ArtifactService } from './artifact.service';
import { ArtifactDto, ArtifactListDto, ArtifactParamsDto, IdParamsDto } from './experiments.dto';

@ApiTags('artifacts')
@Controller('api/v1/runs')
export class ArtifactsController {
  constructor(private readonly artifacts: ArtifactService) {}

  @Get(':id/artifacts')
  @RequireRole('viewer')
  @ApiOperation({ summary: "List a run's artifacts" })
  @ZodResponse({ status: 200, type: ArtifactListDto })
  list(@Param() params: IdParamsDto) {
    return this.artifacts.list(params.id);
  }

  @Put(':id/artifacts/*path')
  @RequireRole('editor')
  @ApiOperation({ summary: 'Upload an artifact (raw body, streamed; sha256 computed on the way in; immutable once written)' })
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ZodResponse({ status: 201, type: ArtifactDto })
  async upload(@Param() params: ArtifactParamsDto, @Req() request: Request, @CurrentActor() actor: RequestActor) {
    const length = request.headers['content-length'];
    return this.artifacts
      .upload(
        params.id,
        params.path as unknown as string,
        {
          body: request,
          declaredBytes: length !== undefined && /^\d+$/.test(length) ? Number(length) : null,
          contentType: request.headers['content-type'],
          consumed: (request as Request & { _body?: boolean })._body === true || request.readableEnded,
        },
        actor,
      )
      .catch((error: unknown) => {
        // Refused before the body was read (too large, no such run, …): close the connection rather than
        // read what is left of a body that may be gigabytes long.
        if (!request.complete) request.res?.setHeader('connection', 'close');
        throw error;
      });
  }

  @Get(':id/artifacts/*path')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Download an artifact (streamed, with its sha256 in x-slipway-sha256)' })
  @ApiProduces('application/octet-stream')
  async download(@Param() params: ArtifactParamsDto, @Res() response: Response): Promise<void> {
    const { artifact, body } = await this.artifacts.open(params.id, params.path as unknown as string);
    response.status(200);
    response.setHeader('content-type', artifact.contentType);
    response.setHeader('content-length', String(artifact.sizeBytes));
    response.setHeader('x-slipway-sha256', artifact.sha256);
    response.setHeader('etag', `"${artifact.sha256}"`);
    // Uploaded bytes are never rendered by a browser on the API's origin.
    response.setHeader('content-disposition', 'attachment');
    response.setHeader('x-content-type-options', 'nosniff');
    await pipeline(body, response).catch(() => response.destroy());
  }
}
