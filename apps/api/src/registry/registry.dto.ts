import { createZodDto } from 'nestjs-zod';
import {
  aliasParamsSchema,
  aliasSchema,
  artifactPathSchema,
  compareRequestSchema,
  compareResultSchema,
  createModelRequestSchema,
  createVersionRequestSchema,
  finalizeVersionRequestSchema,
  gcQuerySchema,
  gcRequestSchema,
  gcResultSchema,
  modelListSchema,
  modelNameParamsSchema,
  modelQuerySchema,
  modelSchema,
  pathSegments,
  publicKeySchema,
  resolvedRefSchema,
  resolveParamsSchema,
  setAliasRequestSchema,
  updateModelRequestSchema,
  updateVersionRequestSchema,
  uploadedFileSchema,
  verificationResultSchema,
  versionListSchema,
  versionParamsSchema,
  versionQuerySchema,
  versionSchema,
} from '@slipway/contracts';

export class CreateModelDto extends createZodDto(createModelRequestSchema) {}
export class UpdateModelDto extends createZodDto(updateModelRequestSchema) {}
export class ModelQueryDto extends createZodDto(modelQuerySchema) {}
export class ModelNameParamsDto extends createZodDto(modelNameParamsSchema) {}
export class ModelDto extends createZodDto(modelSchema) {}
export class ModelListDto extends createZodDto(modelListSchema) {}

export class CreateVersionDto extends createZodDto(createVersionRequestSchema) {}
export class UpdateVersionDto extends createZodDto(updateVersionRequestSchema) {}
export class FinalizeVersionDto extends createZodDto(finalizeVersionRequestSchema) {}
export class VersionQueryDto extends createZodDto(versionQuerySchema) {}
export class VersionParamsDto extends createZodDto(versionParamsSchema) {}
/** Express 5 hands a `*path` wildcard over as its segments. */
export class VersionFileParamsDto extends createZodDto(
  versionParamsSchema.extend({
    path: pathSegments.pipe(artifactPathSchema),
  }),
) {}
export class VersionDto extends createZodDto(versionSchema) {}
export class VersionListDto extends createZodDto(versionListSchema) {}
export class UploadedFileDto extends createZodDto(uploadedFileSchema) {}
export class VerificationResultDto extends createZodDto(verificationResultSchema) {}

export class SetAliasDto extends createZodDto(setAliasRequestSchema) {}
export class AliasParamsDto extends createZodDto(aliasParamsSchema) {}
export class AliasDto extends createZodDto(aliasSchema) {}

export class ResolveParamsDto extends createZodDto(resolveParamsSchema) {}
export class ResolvedRefDto extends createZodDto(resolvedRefSchema) {}
export class PublicKeyDto extends createZodDto(publicKeySchema) {}
export class CompareDto extends createZodDto(compareRequestSchema) {}
export class CompareResultDto extends createZodDto(compareResultSchema) {}
export class GcQueryDto extends createZodDto(gcQuerySchema) {}
export class GcRequestDto extends createZodDto(gcRequestSchema) {}
export class GcResultDto extends createZodDto(gcResultSchema) {}
