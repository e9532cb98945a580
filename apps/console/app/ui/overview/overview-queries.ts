import { healthResponseSchema, overviewResponseSchema, workerListResponseSchema } from '@slipway/contracts';
import { fetchFromConsole } from '../../lib/console-fetch';

/** How often the overview polls the console's route handlers. */
export const OVERVIEW_POLL_MS = 3000;

export const overviewQuery = {
  queryKey: ['overview'] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => fetchFromConsole('/api/overview', overviewResponseSchema, { signal }),
};

export const workersQuery = {
  queryKey: ['workers'] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => fetchFromConsole('/api/workers', workerListResponseSchema, { signal }),
};

export const healthQuery = {
  queryKey: ['health'] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => fetchFromConsole('/api/health', healthResponseSchema, { signal }),
};
