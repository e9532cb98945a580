import 'server-only';
import { cookies } from 'next/headers';
import { unstable_rethrow } from 'next/navigation';

/** The httpOnly cookie that holds the token a person signed in with; the browser's scripts never see it. */
export const SESSION_COOKIE = 'slipway_token';

/** A year: the token's own expiry (or revocation) is what ends access, not the cookie. */
export const SESSION_MAX_AGE_SECONDS = 365 * 24 * 3600;

/**
 * The token this request signed in with, if any. Outside a request (unit tests, a build) there is no cookie
 * store, which means no session; Next's own control-flow errors are passed on untouched.
 */
export async function sessionToken(): Promise<string | undefined> {
  try {
    return (await cookies()).get(SESSION_COOKIE)?.value || undefined;
  } catch (error) {
    unstable_rethrow(error);
    return undefined;
  }
}
