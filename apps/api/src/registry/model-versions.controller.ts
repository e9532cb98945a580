import { pipeline } from 'node:stream/promises';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import type { Request, Response } from 'express';
import { CurrentActor, RequireRole, type RequestActor } from '../auth/auth.decorators';
import { ModelVersionService } from './model-version.service';
import {
  CreateVersionDto,
  FinalizeVersionDto,
  ModelNameParamsDto,
  UpdateVersionDto,
  UploadedFileDto,
  VerificationResultDto,
  VersionDto,
  VersionFileParamsDto,
  VersionListDto,
  VersionParamsDto,
  VersionQueryDto,
} from './registry.dto';
import { Idempotent } from '../common/idempotency';

@ApiTags('registry')
@Controller('api/v1/models/:name/versions')
export class ModelVersionsController {
  constructor(private readonly versions: ModelVersionService) {}

  @Post()
  @Idempotent()
  @RequireRole('editor')
  @ApiOperation({ summary: "Create the next version: from a run's artifact (READY, signed) or empty for direct upload (PENDING_UPLOAD)" })
  @ZodResponse({ status: 201, type: VersionDto })
  create(@Param() params: ModelNameParamsDto, @Body() body: CreateVersionDto, @CurrentActor() actor: RequestActor) {
    return this.versions.create(params.name, body, actor);
  }

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: "A model's versions, newest first, with lineage" })
  @ZodResponse({ status: 200, type: VersionListDto })
  list(@Param() params: ModelNameParamsDto, @Query() query: VersionQueryDto) {
    return this.versions.list(params.name, query);
  }

  @Get(':version')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'One version: status, files, sha256, signature, evaluation, lineage to its run' })
  @ZodResponse({ status: 200, type: VersionDto })
  get(@Param() params: VersionParamsDto) {
    return this.versions.get(params.name, params.version);
  }

  @Patch(':version')
  @RequireRole('editor')
  @ApiOperation({ summary: "Change a version's description and/or tags (its artifact never changes)" })
  @ZodResponse({ status: 200, type: VersionDto })
  update(@Param() params: VersionParamsDto, @Body() body: UpdateVersionDto, @CurrentActor() actor: RequestActor) {
    return this.versions.update(params.name, params.version, body, actor);
  }

  @Post(':version/archive')
  @HttpCode(200)
  @RequireRole('editor')
  @ApiOperation({ summary: 'Archive a READY version; refused (409) while an alias or a deployment uses it' })
  @ZodResponse({ status: 200, type: VersionDto })
  archive(@Param() params: VersionParamsDto, @CurrentActor() actor: RequestActor) {
    return this.versions.archive(params.name, params.version, actor);
  }

  @Post(':version/restore')
  @HttpCode(200)
  @RequireRole('editor')
  @ApiOperation({ summary: 'Bring an ARCHIVED version back to READY' })
  @ZodResponse({ status: 200, type: VersionDto })
  restore(@Param() params: VersionParamsDto, @CurrentActor() actor: RequestActor) {
    return this.versions.restore(params.name, params.version, actor);
  }

  @Delete(':version')
  @HttpCode(204)
  @RequireRole('editor')
  @ApiOperation({ summary: 'Delete a version (its number is never reused; files are garbage-collected); refused (409) while an alias or a deployment uses it' })
  async remove(@Param() params: VersionParamsDto, @CurrentActor() actor: RequestActor) {
    await this.versions.remove(params.name, params.version, actor);
  }

  @Put(':version/files/*path')
  @RequireRole('editor')
  @ApiOperation({ summary: 'Upload one file of a PENDING_UPLOAD version (raw body, streamed; optional x-content-sha256 is checked)' })
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ZodResponse({ status: 201, type: UploadedFileDto })
  async putFile(@Param() params: VersionFileParamsDto, @Req() request: Request) {
    const length = request.headers['content-length'];
    const expected = request.headers['x-content-sha256'];
    return this.versions
      .putFile(params.name, params.version, params.path as unknown as string, {
        body: request,
        consumed: request.readableEnded,
        declaredBytes: length !== undefined && /^\d+$/.test(length) ? Number(length) : null,
        expectedSha256: typeof expected === 'string' ? expected : null,
      })
      .catch((error: unknown) => {
        // Refused before the body was read: close the connection rather than read the rest of it.
        if (!request.complete) request.res?.setHeader('connection', 'close');
        throw error;
      });
  }

  @Post(':version/finalize')
  @Idempotent()
  @HttpCode(200)
  @RequireRole('editor')
  @ApiOperation({ summary: 'Seal an uploaded version: hash its files, sign the manifest, READY' })
  @ZodResponse({ status: 200, type: VersionDto })
  finalize(@Param() params: VersionParamsDto, @Body() body: FinalizeVersionDto, @CurrentActor() actor: RequestActor) {
    return this.versions.finalize(params.name, params.version, body, actor);
  }

  @Get(':version/files/*path')
  @RequireRole('viewer')
  @ApiOperation({
    summary:
      'Download one file, verified against the signed manifest first (422 when tampered); its sha256 in x-slipway-sha256 and as the ETag (If-None-Match → 304)',
  })
  @ApiProduces('application/octet-stream')
  async download(@Param() params: VersionFileParamsDto, @Req() request: Request, @Res() response: Response): Promise<void> {
    const path = params.path as unknown as string;
    const entry = await this.versions.signedFileEntry(params.name, params.version, path);
    response.setHeader('x-slipway-sha256', entry.sha256);
    response.setHeader('etag', `"${entry.sha256}"`);
    if (etagMatches(request.headers['if-none-match'], entry.sha256)) {
      response.status(304).end();
      return;
    }
    const file = await this.versions.openFile(params.name, params.version, path);
    response.status(200);
    response.setHeader('content-type', 'application/octet-stream');
    response.setHeader('content-length', String(file.entry.sizeBytes));
    response.setHeader('content-disposition', 'attachment');
    response.setHeader('x-content-type-options', 'nosniff');
    await pipeline(file.open(), response).catch(() => response.destroy());
  }

  @Get(':version/verify')
  @RequireRole('viewer')
  @ApiOperation({ summary: "Re-hash every stored file and check the version's signature (what a loader does)" })
  @ZodResponse({ status: 200, type: VerificationResultDto })
  verify(@Param() params: VersionParamsDto) {
    return this.versions.verify(params.name, params.version);
  }
}

/** If-None-Match (RFC 9110 §13.1.2): `*`, or a list of entity tags compared weakly (a `W/` prefix does not matter). */
export function etagMatches(header: string | undefined, sha256: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === `"${sha256}"`);
}
