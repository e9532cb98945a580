import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import {
  artifactListSchema,
  artifactPathProblem,
  artifactSchema,
  createExperimentRequestSchema,
  createRunRequestSchema,
  endRunRequestSchema,
  experimentListSchema,
  experimentSchema,
  listExperimentsQuerySchema,
  logBatchRequestSchema,
  logBatchResultSchema,
  metricHistoryParamsSchema,
  metricHistoryQuerySchema,
  metricHistorySchema,
  pathSegments,
  runSchema,
  runSearchResultSchema,
  searchRunsQuerySchema,
  searchRunsRequestSchema,
  updateExperimentRequestSchema,
  uuidParamsSchema,
} from '@slipway/contracts';

export class CreateExperimentDto extends createZodDto(createExperimentRequestSchema) {}
export class UpdateExperimentDto extends createZodDto(updateExperimentRequestSchema) {}
export class ListExperimentsQueryDto extends createZodDto(listExperimentsQuerySchema) {}
export class ExperimentDto extends createZodDto(experimentSchema) {}
export class ExperimentListDto extends createZodDto(experimentListSchema) {}
export class IdParamsDto extends createZodDto(uuidParamsSchema) {}

export class CreateRunDto extends createZodDto(createRunRequestSchema) {}
export class LogBatchDto extends createZodDto(logBatchRequestSchema) {}
export class LogBatchResultDto extends createZodDto(logBatchResultSchema) {}
export class EndRunDto extends createZodDto(endRunRequestSchema) {}
export class RunDto extends createZodDto(runSchema) {}
export class SearchRunsDto extends createZodDto(searchRunsRequestSchema) {}
export class SearchRunsQueryDto extends createZodDto(searchRunsQuerySchema) {}
export class RunSearchResultDto extends createZodDto(runSearchResultSchema) {}
export class MetricHistoryParamsDto extends createZodDto(metricHistoryParamsSchema) {}
export class MetricHistoryQueryDto extends createZodDto(metricHistoryQuerySchema) {}
export class MetricHistoryDto extends createZodDto(metricHistorySchema) {}

export class ArtifactDto extends createZodDto(artifactSchema) {}
export class ArtifactListDto extends createZodDto(artifactListSchema) {}

/** Express 5 hands a `*path` wildcard over as its decoded segments; they are joined and checked like object-store keys. */
export class ArtifactParamsDto extends createZodDto(
  z
    .object({
      id: z.string().uuid(),
      path: pathSegments.superRefine((path, ctx) => {
        const problem = artifactPathProblem(path);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    })
    .strict(),
) {}
