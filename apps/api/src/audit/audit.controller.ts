import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto, ZodResponse } from 'nestjs-zod';
import { auditListSchema, auditQuerySchema, wireTime, type AuditList } from '@slipway/contracts';
import { UnitOfWork } from '@slipway/db';
import { RequireRole } from '../auth/auth.decorators';
import { inRequestFields } from '../common/request-fields';

class AuditQueryDto extends createZodDto(auditQuerySchema) {}
class AuditListDto extends createZodDto(auditListSchema) {}

@ApiTags('audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly db: UnitOfWork) {}

  @Get()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Audit log, newest first: filter by entity, action, actor and time; cursor-paginated' })
  @ZodResponse({ status: 200, type: AuditListDto })
  async list(@Query() query: AuditQueryDto): Promise<AuditList> {
    const page = await inRequestFields({ cursor: 'query.cursor' }, () => this.db.read.audit.list(query));
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
        createdAt: wireTime(e.createdAt),
      })),
      nextCursor: page.nextCursor,
    };
  }
}
