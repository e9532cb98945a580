import { createZodDto } from 'nestjs-zod';
import {
  createDeploymentRequestSchema,
  deploymentActionRequestSchema,
  deploymentEventListSchema,
  deploymentEventQuerySchema,
  deploymentListSchema,
  deploymentNameParamsSchema,
  deploymentQuerySchema,
  deploymentRevisionQuerySchema,
  deploymentRevisionListSchema,
  deploymentSchema,
  setShadowRequestSchema,
  startCanaryRequestSchema,
  startRolloutRequestSchema,
  updateDeploymentRequestSchema,
} from '@slipway/contracts';

export class CreateDeploymentDto extends createZodDto(createDeploymentRequestSchema) {}
export class UpdateDeploymentDto extends createZodDto(updateDeploymentRequestSchema) {}
export class StartCanaryDto extends createZodDto(startCanaryRequestSchema) {}
export class SetShadowDto extends createZodDto(setShadowRequestSchema) {}
export class StartRolloutDto extends createZodDto(startRolloutRequestSchema) {}
export class DeploymentActionDto extends createZodDto(deploymentActionRequestSchema) {}
export class DeploymentNameParamsDto extends createZodDto(deploymentNameParamsSchema) {}
export class DeploymentQueryDto extends createZodDto(deploymentQuerySchema) {}
export class DeploymentRevisionQueryDto extends createZodDto(deploymentRevisionQuerySchema) {}
export class DeploymentEventQueryDto extends createZodDto(deploymentEventQuerySchema) {}
export class DeploymentDto extends createZodDto(deploymentSchema) {}
export class DeploymentListDto extends createZodDto(deploymentListSchema) {}
export class DeploymentRevisionListDto extends createZodDto(deploymentRevisionListSchema) {}
export class DeploymentEventListDto extends createZodDto(deploymentEventListSchema) {}
