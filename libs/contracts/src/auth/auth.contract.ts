import { z } from 'zod';
import { nameText } from '../common/primitives';

/** Token roles, each including the one before: viewer reads, editor writes, admin manages tokens and webhooks. */
export const ROLES = ['viewer', 'editor', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export function roleAllows(held: Role, required: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(required);
}

/** Tokens look like `slw_<43 base64url chars>`; the prefix makes leaked tokens easy to scan for. */
export const TOKEN_PREFIX = 'slw_';

export const createApiTokenRequestSchema = z
  .object({
    name: nameText(128, { trim: true }),
    role: roleSchema,
    /** Lifetime in days; omitted = no expiry. */
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();
export type CreateApiTokenRequest = z.infer<typeof createApiTokenRequestSchema>;

export const apiTokenSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  role: roleSchema,
  /** First characters of the token, to tell tokens apart. */
  prefix: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string().datetime(),
  lastUsedAt: z.string().datetime().nullable(),
  expiresAt: z.string().datetime().nullable(),
  revokedAt: z.string().datetime().nullable(),
});
export type ApiTokenView = z.infer<typeof apiTokenSchema>;

/** The only response that ever contains the token itself. */
export const createdApiTokenSchema = apiTokenSchema.extend({ token: z.string() });
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;

export const apiTokenListSchema = z.object({ tokens: z.array(apiTokenSchema) });

export const whoAmISchema = z.object({ tokenId: z.string().uuid(), name: z.string(), role: roleSchema });
export type WhoAmI = z.infer<typeof whoAmISchema>;
