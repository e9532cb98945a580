import { ErrorCode, SlipwayError } from '@slipway/contracts';

/**
 * The database failures this layer answers to, by what they mean. Prisma's codes (and the Postgres SQLSTATEs
 * a raw query reports through the driver adapter) stay in this file: nothing outside libs/db sees them.
 */
export type DbFailure = 'unique_violation' | 'foreign_key_violation' | 'record_not_found' | 'transaction_start' | 'transaction_conflict' | 'unreachable';

const BY_PRISMA_CODE: Record<string, DbFailure> = {
  P2002: 'unique_violation',
  P2003: 'foreign_key_violation',
  P2025: 'record_not_found',
  P2028: 'transaction_start',
  P2034: 'transaction_conflict',
  // Can't reach the server, connect timed out, operation timed out, server closed the connection, pool timeout.
  P1001: 'unreachable',
  P1002: 'unreachable',
  P1008: 'unreachable',
  P1017: 'unreachable',
  P2024: 'unreachable',
};

const BY_SQLSTATE: Record<string, DbFailure> = {
  '23505': 'unique_violation',
  '23503': 'foreign_key_violation',
  '40001': 'transaction_conflict',
  '40P01': 'transaction_conflict',
  // admin_shutdown (pg_ctl stop -m fast), crash_shutdown (another backend crashed), cannot_connect_now
  // (starting up or shutting down), too_many_connections. Class 08 (connection exceptions) is matched by prefix.
  '57P01': 'unreachable',
  '57P02': 'unreachable',
  '57P03': 'unreachable',
  '53300': 'unreachable',
};

/**
 * What @prisma/adapter-pg reports for a socket failure (ECONNREFUSED/ENOTFOUND → DatabaseNotReachable,
 * ECONNRESET → ConnectionClosed, ETIMEDOUT → SocketTimeout) and for 53300.
 */
const UNREACHABLE_ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

/**
 * What node-postgres throws, unwrapped, when the server goes away under a connection the adapter holds
 * (it passes errors it does not recognise through as they are): found by stopping Postgres under
 * traffic, with pg_ctl's fast shutdown and with SIGKILL of the postmaster.
 */
const UNREACHABLE_DRIVER_MESSAGES = [
  /^Connection terminated/, // "Connection terminated unexpectedly", "Connection terminated due to connection timeout"
  /connection error and is not queryable/, // a transaction's client whose socket died ("Client has encountered …")
  /^timeout exceeded when trying to connect/, // the pool's connectionTimeoutMillis
  /^Client was closed and is not queryable/,
  /Can't reach database server/,
];

function sqlStateFailure(sqlState: unknown): DbFailure | undefined {
  if (typeof sqlState !== 'string') return undefined;
  if (sqlState in BY_SQLSTATE) return BY_SQLSTATE[sqlState];
  return /^08[0-9A-Z]{3}$/.test(sqlState) ? 'unreachable' : undefined;
}

/** What went wrong in the database, when `error` is a failure this layer knows; undefined otherwise. */
export function dbFailureOf(error: unknown): DbFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errorCode, meta, message, name } = error as {
    code?: unknown;
    errorCode?: unknown;
    message?: unknown;
    name?: unknown;
    meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } };
  };
  if (typeof code === 'string' && code in BY_PRISMA_CODE) return BY_PRISMA_CODE[code];
  // PrismaClientInitializationError names its code errorCode (P1001 when the first connect is refused).
  if (typeof errorCode === 'string' && errorCode in BY_PRISMA_CODE) return BY_PRISMA_CODE[errorCode];
  // The adapter's error arrives wrapped in a Prisma error (meta.driverAdapterError), or bare when it failed
  // outside a query Prisma reports on (opening a transaction while the server is starting up).
  const cause = (meta?.driverAdapterError ?? (name === 'DriverAdapterError' ? (error as { cause?: unknown }) : undefined))?.cause as
    { originalCode?: unknown; kind?: unknown } | undefined;
  if (typeof cause?.kind === 'string' && UNREACHABLE_ADAPTER_KINDS.has(cause.kind)) return 'unreachable';
  // A raw query's failure (P2010) carries the Postgres SQLSTATE.
  const fromMeta = sqlStateFailure(meta?.code ?? cause?.originalCode);
  if (fromMeta) return fromMeta;
  // node-postgres' own errors: a DatabaseError with a SQLSTATE, or a plain Error about the connection. Only
  // these shapes, so that a socket error of another client (the object store's, say) is not taken for the database's.
  // (pg-protocol's DatabaseError is named 'error'; its SQLSTATE and severity are what identify it.)
  if (typeof code === 'string' && typeof (error as { severity?: unknown }).severity === 'string') return sqlStateFailure(code);
  if (typeof message === 'string' && (name === 'Error' || name === 'DriverAdapterError') && UNREACHABLE_DRIVER_MESSAGES.some((m) => m.test(message)))
    return 'unreachable';
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
    case 'unreachable':
      return new SlipwayError(ErrorCode.UNAVAILABLE, 'The database is unreachable (restarting or down); retry shortly');
    case undefined:
      return error;
  }
}
