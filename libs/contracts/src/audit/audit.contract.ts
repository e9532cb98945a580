import { z } from 'zod';
import { pageQuerySchema } from '../common/page-query';
import { isoDateTime, text } from '../common/primitives';

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
    entityType: text({ max: 64 }).optional(),
    entityId: text({ max: 256 }).optional(),
    action: text({ max: 128 }).optional(),
    actor: text({ max: 256 }).optional(),
    since: isoDateTime().optional(),
    until: isoDateTime().optional(),
  },
  { max: 500, default: 100 },
);
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditListSchema = z.object({ entries: z.array(auditEntrySchema), nextCursor: z.string().nullable() });
export type AuditList = z.infer<typeof auditListSchema>;
