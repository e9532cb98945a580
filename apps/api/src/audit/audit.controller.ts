import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto, ZodResponse } from 'nestjs-zod';
import { auditListSchema, auditQuerySchema, type AuditList } from '@slipway/contracts';
import { AuditLogStore } from '@slipway/db';
import { RequireRole } from '../auth/auth.decorators';

class AuditQueryDto extends createZodDto(auditQuerySchema) {}
class AuditListDto extends createZodDto(auditListSchema) {}

@ApiTags('audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditLogStore) {}

  @Get()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Audit log, newest first: filter by entity, action, actor and time; cursor-paginated' })
  @ZodResponse({ status: 200, type: AuditListDto })
  async list(@Query() query: AuditQueryDto): Promise<AuditList> {
    const page = await this.audit.list(query);
    return {
      entries: page.entries.map((e) => ({
        id: e.id.toString(),
        actor: e.actor,
        actorTokenId: e.actorTokenId,
        action: e.action,
        entityType: e.entityType,
        entityId: e.entityId,
        before: e.before ?? null,
        after: e.after ?? null,
        requestId: e.requestId,
        createdAt: e.createdAt.toISOString(),
      })),
      nextCursor: page.nextCursor,
    };
  }
}
