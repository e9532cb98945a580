import type { Prisma, PrismaClient } from './generated/prisma/client';

/** What a store is bound to: the pool (reads) or one transaction (a unit of work). Internal to libs/db, never exported. */
export type DbClient = PrismaClient | Prisma.TransactionClient;

/**
 * Runs independent queries at once on the pool, but one after another inside a transaction: a transaction
 * holds a single connection, which cannot run two queries at once (pg deprecates it; pg 9 will refuse).
 */
export async function queryAll<T extends readonly unknown[]>(db: DbClient, queries: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  const inTransaction = !('$transaction' in db);
  if (!inTransaction) return (await Promise.all(queries.map((query) => query()))) as unknown as T;
  const results: unknown[] = [];
  for (const query of queries) results.push(await query());
  return results as unknown as T;
}
