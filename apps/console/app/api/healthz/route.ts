export const dynamic = 'force-dynamic';

/** Liveness of the console process itself (container probes); says nothing about the API behind it. */
export function GET(): Response {
  return Response.json({ status: 'OK' }, { headers: { 'cache-control': 'no-store' } });
}
