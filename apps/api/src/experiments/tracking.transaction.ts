import { ErrorCode, SlipwayError } from '@slipway/contracts';
import { prismaCode, type DbClient, type PrismaClient } from '@slipway/db';

/**
 * Runs `work` in one transaction and turns the Prisma failures a busy tracking server meets into coded
 * errors instead of 500s: lost unique races, rows deleted underneath, a pool too busy to start a transaction.
 * Waits longer than Prisma's defaults because many training loops may log to the same database at once.
 */
export async function inTransaction<T>(prisma: PrismaClient, work: (tx: DbClient) => Promise<T>): Promise<T> {
  try {
    return await prisma.$transaction((tx) => work(tx), { maxWait: 15_000, timeout: 60_000 });
  } catch (error) {
    if (error instanceof SlipwayError) throw error;
    switch (prismaCode(error)) {
      case 'P2002':
        throw new SlipwayError(ErrorCode.CONFLICT, 'Conflicting concurrent change; retry the request');
      case 'P2025':
        throw new SlipwayError(ErrorCode.NOT_FOUND, 'The record was removed while the request ran');
      case 'P2028':
        throw new SlipwayError(ErrorCode.UNAVAILABLE, 'The database is too busy to start a transaction; retry shortly');
      case 'P2034':
        throw new SlipwayError(ErrorCode.CONFLICT, 'Write conflict with a concurrent request; retry the request');
      default:
        throw error;
    }
  }
}
