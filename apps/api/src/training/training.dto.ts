import { createZodDto } from 'nestjs-zod';
import {
  cancelTrainingJobRequestSchema,
  createTrainingJobRequestSchema,
  registerTrainingJobRequestSchema,
  trainingAlgorithmListSchema,
  trainingJobIdParamsSchema,
  trainingJobListSchema,
  trainingJobQuerySchema,
  trainingJobSchema,
} from '@slipway/contracts';

/**
 * The body is a union (one shape per algorithm), which a class cannot extend as a type; the DTO keeps the schema
 * for validation and OpenAPI, and the controller reads the body as CreateTrainingJobRequest.
 */
export class CreateTrainingJobDto extends (createZodDto(createTrainingJobRequestSchema) as unknown as new () => object) {}
export class CancelTrainingJobDto extends createZodDto(cancelTrainingJobRequestSchema) {}
export class RegisterTrainingJobDto extends createZodDto(registerTrainingJobRequestSchema) {}
export class TrainingJobIdParamsDto extends createZodDto(trainingJobIdParamsSchema) {}
export class TrainingJobQueryDto extends createZodDto(trainingJobQuerySchema) {}
export class TrainingJobDto extends createZodDto(trainingJobSchema) {}
export class TrainingJobListDto extends createZodDto(trainingJobListSchema) {}
export class TrainingAlgorithmListDto extends createZodDto(trainingAlgorithmListSchema) {}
