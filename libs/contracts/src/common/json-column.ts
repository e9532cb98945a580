import type { z } from 'zod';
import { ErrorCode, SlipwayError } from '../errors/error-code';

/**
 * Reads a JSON column through its contract at the store boundary. A row that does not match is a bug or a
 * corrupted row, not a client error: it fails loudly as INTERNAL, naming `table.column` (and the row when
 * given) and the first zod issue, instead of handing an unchecked `any` to the rest of the platform.
 */
export function parseJsonColumn<S extends z.ZodType>(column: string, schema: S, value: unknown, rowId?: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
  const row = rowId === undefined ? '' : ` (row ${rowId})`;
  throw new SlipwayError(ErrorCode.INTERNAL, `Stored ${column}${row} does not match its contract${at}: ${issue.message}`);
}

/** For nullable columns: SQL NULL (null, or undefined from a partial select) stays null; anything else must parse. */
export function parseNullableJsonColumn<S extends z.ZodType>(column: string, schema: S, value: unknown, rowId?: string): z.output<S> | null {
  return value === null || value === undefined ? null : parseJsonColumn(column, schema, value, rowId);
}
