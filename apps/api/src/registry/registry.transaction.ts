import { ErrorCode, SlipwayError } from '@slipway/contracts';
import { isPrismaError, PrismaCode, type DbClient, type PrismaClient } from '@slipway/db';

/**
 * One registry transaction. Waits longer than Prisma's 2 s default for a connection, because changes to one
 * model queue on its row lock (20 parallel registrations must all get their number, not a timeout), and
 * turns the Prisma failures of a busy database into coded errors instead of 500s.
 */
export async function registryTransaction<T>(prisma: PrismaClient, work: (tx: DbClient) => Promise<T>): Promise<T> {
  try {
    return await prisma.$transaction((tx) => work(tx), { maxWait: 20_000, timeout: 30_000 });
  } catch (error) {
    if (error instanceof SlipwayError) throw error;
    if (isPrismaError(error, PrismaCode.UniqueViolation) || isPrismaError(error, PrismaCode.TransactionConflict)) {
      throw new SlipwayError(ErrorCode.CONFLICT, 'Conflicting concurrent change; retry the request');
    }
    if (isPrismaError(error, PrismaCode.RecordNotFound)) throw new SlipwayError(ErrorCode.NOT_FOUND, 'The record was removed while the request ran');
    if (isPrismaError(error, PrismaCode.ForeignKeyViolation)) throw new SlipwayError(ErrorCode.CONFLICT, 'Still referenced by another record');
    if (isPrismaError(error, PrismaCode.TransactionStart))
      throw new SlipwayError(ErrorCode.UNAVAILABLE, 'The database is too busy to start a transaction; retry shortly');
    throw error;
  }
}
