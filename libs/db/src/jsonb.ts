import { Prisma } from './generated/prisma/client';

/**
 * A JSON column value as a SQL expression: the JSON text, cast by Postgres. Passing the object through Prisma
 * would re-parse its numbers in the client engine, whose parser is not correctly rounded (0.30000000000000004
 * arrives as 0.3, 1.7976931348623157e308 as Infinity and then null); jsonb's own parser keeps every double exact.
 */
export const jsonbText = (value: unknown): Prisma.Sql =>
  value === undefined || value === null ? Prisma.sql`NULL` : Prisma.sql`${JSON.stringify(value)}::jsonb`;
