/**
 * Whether a request that changes something came from a page of this console. Without a signed-in cookie the
 * console acts with its own configured token, so a route handler that writes must not serve another site's page:
 * browsers send `Origin` with every PUT and POST, and it must name the host the request was sent to (the proxy's
 * `x-forwarded-host` when there is one, as Next's server actions check). No `Origin` at all is refused too.
 */
export function isSameOrigin(headers: Headers): boolean {
  const origin = headers.get('origin');
  if (origin === null || origin === 'null') return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  const host = headers.get('x-forwarded-host')?.split(',')[0]?.trim() || headers.get('host');
  return host !== null && host !== '' && originHost.toLowerCase() === host.toLowerCase();
}
