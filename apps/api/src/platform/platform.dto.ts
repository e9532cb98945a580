import { createZodDto } from 'nestjs-zod';
import { healthResponseSchema, overviewResponseSchema, workerListResponseSchema } from '@slipway/contracts';

export class HealthResponseDto extends createZodDto(healthResponseSchema) {}
export class OverviewResponseDto extends createZodDto(overviewResponseSchema) {}
export class WorkerListResponseDto extends createZodDto(workerListResponseSchema) {}
