import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { apiTokenListSchema, apiTokenSchema, createApiTokenRequestSchema, createdApiTokenSchema, whoAmISchema } from '@slipway/contracts';

export class CreateApiTokenDto extends createZodDto(createApiTokenRequestSchema) {}
export class ApiTokenDto extends createZodDto(apiTokenSchema) {}
export class CreatedApiTokenDto extends createZodDto(createdApiTokenSchema) {}
export class ApiTokenListDto extends createZodDto(apiTokenListSchema) {}
export class WhoAmIDto extends createZodDto(whoAmISchema) {}
export class TokenIdParamsDto extends createZodDto(z.object({ id: z.string().uuid() })) {}
