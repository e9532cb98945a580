import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import type { Request, Response } from 'express';
import { CurrentActor, RequireRole, type RequestActor } from '../auth/auth.decorators';
import { Idempotent } from '../common/idempotency';
import { DatasetService } from './dataset.service';
import {
  DatasetDto,
  DatasetIdParamsDto,
  DatasetImageSampleParamsDto,
  DatasetListDto,
  DatasetProfileDto,
  DatasetQueryDto,
  DatasetSampleListDto,
  DatasetSampleParamsDto,
  DatasetUploadQueryDto,
  UpdateDatasetDto,
} from './datasets.dto';

@ApiTags('datasets')
@Controller('api/v1/datasets')
export class DatasetsController {
  constructor(private readonly datasets: DatasetService) {}

  @Put()
  @Idempotent()
  @RequireRole('editor')
  @ApiOperation({
    summary:
      'Upload a CSV or Parquet file (raw body, streamed; Parquet detected by its PAR1 magic or format=parquet; header, delimiter and column types detected; profiled on the way in), or with format=images&imageSize=HxWxC a zip of class-named folders of PNG/JPEG images (decoded and resized). The same bytes again answer 200 with the dataset already stored',
  })
  @ApiConsumes('text/csv', 'application/vnd.apache.parquet', 'application/zip', 'application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ZodResponse({ status: 201, type: DatasetDto })
  async upload(
    @Query() query: DatasetUploadQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentActor() actor: RequestActor,
  ) {
    const length = request.headers['content-length'];
    try {
      const result = await this.datasets.upload(
        query,
        {
          body: request,
          declaredBytes: length !== undefined && /^\d+$/.test(length) ? Number(length) : null,
          consumed: (request as Request & { _body?: boolean })._body === true || request.readableEnded,
        },
        actor,
      );
      response.status(result.created ? 201 : 200);
      return result.view;
    } catch (error) {
      // Refused before the body was read (too large, bad content early on): close the connection rather than
      // read what is left of a body that may be gigabytes long.
      if (!request.complete) response.setHeader('connection', 'close');
      throw error;
    }
  }

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List datasets, newest first, optionally searching the name' })
  @ZodResponse({ status: 200, type: DatasetListDto })
  list(@Query() query: DatasetQueryDto) {
    return this.datasets.list(query);
  }

  @Get('samples')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'The built-in sample datasets, with their provenance' })
  @ZodResponse({ status: 200, type: DatasetSampleListDto })
  samples() {
    return this.datasets.listSamples();
  }

  @Post('samples/:name')
  @Idempotent()
  @RequireRole('editor')
  @ApiOperation({ summary: 'Materialise a built-in sample as a dataset (the same path as an upload; 200 with the existing one when already there)' })
  @ZodResponse({ status: 201, type: DatasetDto })
  async createSample(@Param() params: DatasetSampleParamsDto, @Res({ passthrough: true }) response: Response, @CurrentActor() actor: RequestActor) {
    const result = await this.datasets.createSample(params.name, actor);
    response.status(result.created ? 201 : 200);
    return result.view;
  }

  @Post('samples/:name/images')
  @Idempotent()
  @RequireRole('editor')
  @ApiOperation({
    summary:
      'Materialise a built-in sample as an image dataset for the CNN (digits: 1,797 images of 8×8×1, classes "0".."9"; 200 with the existing one when already there)',
  })
  @ZodResponse({ status: 201, type: DatasetDto })
  async createImageSample(@Param() params: DatasetImageSampleParamsDto, @Res({ passthrough: true }) response: Response, @CurrentActor() actor: RequestActor) {
    const result = await this.datasets.createImageSample(params.name, actor);
    response.status(result.created ? 201 : 200);
    return result.view;
  }

  @Get(':id')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'One dataset: its columns and types, target, size and sha256' })
  @ZodResponse({ status: 200, type: DatasetDto })
  get(@Param() params: DatasetIdParamsDto) {
    return this.datasets.get(params.id);
  }

  @Get(':id/profile')
  @RequireRole('viewer')
  @ApiOperation({ summary: "A dataset's profile: per-column statistics and the target's class balance" })
  @ZodResponse({ status: 200, type: DatasetProfileDto })
  profile(@Param() params: DatasetIdParamsDto) {
    return this.datasets.profile(params.id);
  }

  @Patch(':id')
  @RequireRole('editor')
  @ApiOperation({ summary: 'Rename, choose the target, or override column types (the profile is recomputed from the stored file)' })
  @ZodResponse({ status: 200, type: DatasetDto })
  update(@Param() params: DatasetIdParamsDto, @Body() body: UpdateDatasetDto, @CurrentActor() actor: RequestActor) {
    return this.datasets.update(params.id, body, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole('editor')
  @ApiOperation({ summary: 'Delete a dataset and its file; refused (409) while a run, training job or study references it' })
  async remove(@Param() params: DatasetIdParamsDto, @CurrentActor() actor: RequestActor) {
    await this.datasets.delete(params.id, actor);
  }
}
