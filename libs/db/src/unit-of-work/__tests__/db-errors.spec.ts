/**
 * The connection failures toSlipwayError answers 503 for, in the shapes they were seen in when Postgres was
 * stopped under the API (postgres-restart.process.spec.ts does it for real): each fixture below copies the
 * name, code and meta an error carried there, so a driver upgrade that changes them shows here first.
 */
import { describe, expect, it } from '@jest/globals';
import { ErrorCode, SlipwayError } from '@slipway/contracts';
import { expectNamed } from '@slipway/testing-matchers';
import { dbFailureOf, toSlipwayError } from '../db-errors';

const unreachable: [string, unknown][] = [
  [
    'P1001 from a transaction while the server is down (ECONNREFUSED)',
    Object.assign(new Error("Can't reach database server at 127.0.0.1:35591"), {
      name: 'PrismaClientKnownRequestError',
      code: 'P1001',
      meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 35591 } } },
    }),
  ],
  [
    'P2010 from a raw query while the server is down',
    Object.assign(new Error('Raw query failed. Code: `N/A`.'), {
      name: 'PrismaClientKnownRequestError',
      code: 'P2010',
      meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 35591 } } },
    }),
  ],
  [
    'ECONNRESET through the adapter',
    Object.assign(new Error('x'), {
      name: 'PrismaClientKnownRequestError',
      code: 'P2010',
      meta: { driverAdapterError: { cause: { kind: 'ConnectionClosed' } } },
    }),
  ],
  [
    'a bare DriverAdapterError: 57P03 the database system is starting up',
    Object.assign(new Error('the database system is starting up'), {
      name: 'DriverAdapterError',
      cause: { originalCode: '57P03', originalMessage: 'the database system is starting up', kind: 'postgres', code: '57P03', severity: 'FATAL' },
    }),
  ],
  ['pg: the client of an open transaction whose socket died', new Error('Client has encountered a connection error and is not queryable')],
  ['pg: Connection terminated unexpectedly', new Error('Connection terminated unexpectedly')],
  ['pg: the pool connect timeout', new Error('timeout exceeded when trying to connect')],
  [
    'pg DatabaseError 57P01 admin_shutdown',
    Object.assign(new Error('terminating connection due to administrator command'), { name: 'error', code: '57P01', severity: 'FATAL' }),
  ],
  ['pg DatabaseError 08006 connection_failure', Object.assign(new Error('connection failure'), { name: 'error', code: '08006', severity: 'FATAL' })],
  ['P2024 pool timeout', Object.assign(new Error('Timed out fetching a new connection'), { name: 'PrismaClientKnownRequestError', code: 'P2024' })],
  [
    'PrismaClientInitializationError P1001',
    Object.assign(new Error("Can't reach database server"), { name: 'PrismaClientInitializationError', errorCode: 'P1001' }),
  ],
];

describe('database connection failures', () => {
  it('are 503 UNAVAILABLE naming the database', () => {
    for (const [what, error] of unreachable) {
      expectNamed(dbFailureOf(error), what).toBe('unreachable');
      const coded = toSlipwayError(error);
      expectNamed(coded instanceof SlipwayError && [coded.code, coded.message], what).toEqual([
        ErrorCode.UNAVAILABLE,
        'The database is unreachable (restarting or down); retry shortly',
      ]);
    }
  });

  it('leave other clients’ socket errors alone: an object store’s ECONNREFUSED is not the database', () => {
    const s3 = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9000'), { code: 'ECONNREFUSED', syscall: 'connect', errno: -111 });
    expect(dbFailureOf(s3)).toBeUndefined();
    expect(toSlipwayError(s3)).toBe(s3);
  });

  it('keep the other mappings: a unique violation from the adapter is still a conflict', () => {
    const unique = Object.assign(new Error('x'), { name: 'DriverAdapterError', cause: { originalCode: '23505', kind: 'UniqueConstraintViolation' } });
    expect(dbFailureOf(unique)).toBe('unique_violation');
  });
});
