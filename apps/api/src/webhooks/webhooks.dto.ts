import { createZodDto } from 'nestjs-zod';
import {
  createdWebhookSchema,
  createWebhookRequestSchema,
  deliveryListSchema,
  deliveryQuerySchema,
  deliverySchema,
  updateWebhookRequestSchema,
  webhookIdParamsSchema,
  webhookListSchema,
  webhookSchema,
} from '@slipway/contracts';

export class CreateWebhookDto extends createZodDto(createWebhookRequestSchema) {}
export class UpdateWebhookDto extends createZodDto(updateWebhookRequestSchema) {}
export class WebhookIdParamsDto extends createZodDto(webhookIdParamsSchema) {}
export class WebhookDto extends createZodDto(webhookSchema) {}
export class CreatedWebhookDto extends createZodDto(createdWebhookSchema) {}
export class WebhookListDto extends createZodDto(webhookListSchema) {}
export class DeliveryDto extends createZodDto(deliverySchema) {}
export class DeliveryQueryDto extends createZodDto(deliveryQuerySchema) {}
export class DeliveryListDto extends createZodDto(deliveryListSchema) {}
