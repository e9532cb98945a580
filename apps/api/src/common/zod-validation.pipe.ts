import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import type { ZodError } from 'zod';
import { ErrorCode, SlipwayError } from '@slipway/contracts';

interface ParseableSchema {
  safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: ZodError };
}

const LOCATION: Record<ArgumentMetadata['type'], string> = { body: 'body', query: 'query', param: 'params', custom: 'input' };

/**
 * Validates @Body/@Query/@Param against the DTO's zod schema and reports every wrong field by its full
 * path (`body.metrics.3.value`, `params.id`) so clients can point at it. Nothing reaches a service unparsed.
 */
@Injectable()
export class ZodRequestValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    // DTO classes made by nestjs-zod's createZodDto carry their schema as a static property.
    const dto = metadata.metatype as { isZodDto?: boolean; schema?: ParseableSchema } | undefined;
    if (!dto?.isZodDto || !dto.schema) return value;
    const schema = dto.schema;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const location = LOCATION[metadata.type];
    const fields = result.error.issues.slice(0, 50).map((issue) => ({
      field: [location, ...issue.path.map(String)].join('.'),
      message: issue.message,
    }));
    throw new SlipwayError(
      ErrorCode.INVALID_ARGUMENT,
      `Invalid ${location}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`.slice(0, 2000),
      fields,
    );
  }
}
