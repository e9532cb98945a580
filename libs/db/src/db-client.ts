import type { Prisma, PrismaClient } from './generated/prisma/client';

/** A store method takes either the client or the transaction it should join (so a change and its audit entry commit together). */
export type DbClient = PrismaClient | Prisma.TransactionClient;
