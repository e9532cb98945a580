import { ErrorCode, SlipwayError } from '@slipway/contracts';

/**
 * The database failures this layer answers to, by what they mean. Prisma's codes (and the Postgres SQLSTATEs
 * a raw query reports through the driver adapter) stay in this file: nothing outside libs/db sees them.
 */
export type DbFailure = 'unique_violation' | 'foreign_key_violation' | 'record_not_found' | 'transaction_start' | 'transaction_conflict';

const BY_PRISMA_CODE: Record<string, DbFailure> = {
  P2002: 'unique_violation',
  P2003: 'foreign_key_violation',
  P2025: 'record_not_found',
  P2028: 'transaction_start',
  P2034: 'transaction_conflict',
};

const BY_SQLSTATE: Record<string, DbFailure> = {
  '23505': 'unique_violation',
  '23503': 'foreign_key_violation',
  '40001': 'transaction_conflict',
  '40P01': 'transaction_conflict',
};

/** What went wrong in the database, when `error` is a failure this layer knows; undefined otherwise. */
export function dbFailureOf(error: unknown): DbFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, meta } = error as { code?: unknown; meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } } };
  if (typeof code === 'string' && code in BY_PRISMA_CODE) return BY_PRISMA_CODE[code];
  // A raw query's failure (P2010) carries the Postgres SQLSTATE.
  const sqlState = meta?.code ?? meta?.driverAdapterError?.cause?.originalCode;
  if (typeof sqlState === 'string' && sqlState in BY_SQLSTATE) return BY_SQLSTATE[sqlState];
  return undefined;
}

/**
 * The one mapping from a database failure to the platform's error codes, so a lost race or a busy pool is a
 * coded answer (409, 404, 503) and never a 500. Anything that is not a known database failure is returned
 * as it came (a SlipwayError a store or service threw stays what it was).
 */
export function toSlipwayError(error: unknown): unknown {
  if (error instanceof SlipwayError) return error;
  switch (dbFailureOf(error)) {
    case 'unique_violation':
      return new SlipwayError(ErrorCode.CONFLICT, 'Conflicting concurrent change; retry the request');
    case 'transaction_conflict':
      return new SlipwayError(ErrorCode.CONFLICT, 'Write conflict with a concurrent request; retry the request');
    case 'foreign_key_violation':
      return new SlipwayError(ErrorCode.CONFLICT, 'Still referenced by another record');
    case 'record_not_found':
      return new SlipwayError(ErrorCode.NOT_FOUND, 'The record was removed while the request ran');
    case 'transaction_start':
      return new SlipwayError(ErrorCode.UNAVAILABLE, 'The database is too busy to start a transaction; retry shortly');
    case undefined:
      return error;
  }
}
