import { roleAllows, type WhoAmI } from '@slipway/contracts';
import type { ApiResult } from './api-result';

/** Write controls are shown to editors and admins; the API enforces the same rule on every request. */
export function canWrite(identity: ApiResult<WhoAmI>): boolean {
  return identity.ok && roleAllows(identity.data.role, 'editor');
}
