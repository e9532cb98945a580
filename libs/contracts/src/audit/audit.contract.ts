import { z } from 'zod';
import { pageQuerySchema } from '../common/page-query';

export const auditEntrySchema = z.object({
  id: z.string(),
  actor: z.string(),
  actorTokenId: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  requestId: z.string().nullable(),
  createdAt: z.string().datetime(),
});
export type AuditEntryView = z.infer<typeof auditEntrySchema>;

export const auditQuerySchema = pageQuerySchema(
  {
    entityType: z.string().max(64).optional(),
    entityId: z.string().max(256).optional(),
    action: z.string().max(128).optional(),
    actor: z.string().max(256).optional(),
    since: z.string().datetime().optional(),
    until: z.string().datetime().optional(),
  },
  { max: 500, default: 100 },
);
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditListSchema = z.object({ entries: z.array(auditEntrySchema), nextCursor: z.string().nullable() });
export type AuditList = z.infer<typeof auditListSchema>;
