import { Prisma } from './generated/prisma/client';

/**
 * Doubles go to Postgres as text, never as JS numbers. Prisma's client engine serialises query parameters to
 * JSON and parses them back in its (Rust/wasm) query compiler with a parser that is not correctly rounded: a
 * bound 1.9796781408864355 arrives as 1.979678140886435, 0.30000000000000004 as 0.3, and
 * 1.7976931348623157e308 as Infinity. String(n) is the shortest text that round-trips, and float8in parses it
 * exactly; it also spells NaN and ±Infinity the way float8in reads them.
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
