/**
 * How a text cell reads as each column type. The profiler infers types with these and the training reader and
 * `applyPreprocessing` convert with the same ones, so a column that profiled as a type always converts.
 */
export const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
export const INTEGER = /^[+-]?\d+$/;
export const BOOLEAN = /^(true|false)$/i;
export const DATETIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
/** Cells that mean "no value" (trimmed). */
export const MISSING = new Set(['', 'NA', 'N/A', 'null', 'NULL', 'NaN']);

export const isMissingCell = (raw: string): boolean => MISSING.has(raw.trim());

/** A finite number, or NaN when the cell is not one. */
export function numberOfCell(raw: string): number {
  const value = raw.trim();
  return NUMBER.test(value) ? Number(value) : NaN;
}

/** 1 / 0, or NaN when the cell is not `true`/`false` (any case). */
export function booleanOfCell(raw: string): number {
  const value = raw.trim();
  return BOOLEAN.test(value) ? (value.toLowerCase() === 'true' ? 1 : 0) : NaN;
}

/**
 * Epoch milliseconds, or NaN. A time without a zone is read as UTC, not as the machine's local time, so the
 * same file gives the same numbers on every worker and in serving.
 */
export function epochMsOfCell(raw: string): number {
  const value = raw.trim();
  const match = DATETIME.exec(value);
  if (!match) return NaN;
  let iso = value.replace(' ', 'T');
  if (match[1] !== undefined && match[4] === undefined) iso += 'Z';
  return Date.parse(iso);
}
