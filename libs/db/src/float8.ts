import { Prisma } from './generated/prisma/client';

/**
 * Doubles go to Postgres as text, never as JS numbers. Prisma (6.19, client engine) serialises query parameters
 * to JSON and its query compiler parses them back without correct rounding (prisma/prisma#22249, for model writes
 * and $executeRaw alike): a bound 1.9796781408864355 arrives as 1.979678140886435, 0.30000000000000004 as 0.3,
 * 1.7976931348623157e308 as Infinity; about a third of random doubles lose their last bit. Strings pass through
 * untouched. String(n) is the shortest text that round-trips, float8in parses it exactly, and it spells NaN and
 * ±Infinity the way float8in reads them.
 */
export function float8Text(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** One double as a bind parameter. */
export function float8(value: number): Prisma.Sql {
  return Prisma.sql`${float8Text(value)}::float8`;
}

/** A float8[] bind parameter. */
export function float8Array(values: number[]): Prisma.Sql {
  return Prisma.sql`${values.map(float8Text)}::text[]::float8[]`;
}
