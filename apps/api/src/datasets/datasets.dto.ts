import { createZodDto } from 'nestjs-zod';
import {
  datasetIdParamsSchema,
  datasetImageSampleParamsSchema,
  datasetListSchema,
  datasetProfileViewSchema,
  datasetQuerySchema,
  datasetSampleListSchema,
  datasetSampleParamsSchema,
  datasetSchema,
  datasetUploadQuerySchema,
  updateDatasetRequestSchema,
} from '@slipway/contracts';

export class DatasetDto extends createZodDto(datasetSchema) {}
export class DatasetListDto extends createZodDto(datasetListSchema) {}
export class DatasetProfileDto extends createZodDto(datasetProfileViewSchema) {}
export class DatasetSampleListDto extends createZodDto(datasetSampleListSchema) {}
export class DatasetQueryDto extends createZodDto(datasetQuerySchema) {}
export class DatasetUploadQueryDto extends createZodDto(datasetUploadQuerySchema) {}
export class DatasetIdParamsDto extends createZodDto(datasetIdParamsSchema) {}
export class DatasetSampleParamsDto extends createZodDto(datasetSampleParamsSchema) {}
export class UpdateDatasetDto extends createZodDto(updateDatasetRequestSchema) {}
export class DatasetImageSampleParamsDto extends createZodDto(datasetImageSampleParamsSchema) {}
