import { ErrorCode, SlipwayError, type TabularInputEncoding, type TabularPreprocessing } from '@slipway/contracts';
import { booleanOfCell, epochMsOfCell, isMissingCell, numberOfCell } from './cell-values';

/** Why a cell cannot be encoded, or null; `value` is the number it encodes to when it can (one-hot: the category). */
export type CellEncoding = { value: number; problem: null } | { value: null; problem: string };

const ok = (value: number): CellEncoding => ({ value, problem: null });
const bad = (problem: string): CellEncoding => ({ value: null, problem });
const shown = (raw: string) => JSON.stringify(raw.length > 64 ? `${raw.slice(0, 64)}…` : raw);

/**
 * One text cell under a number, boolean or datetime encoding. The training reader (CSV and Parquet cells as text)
 * and `applyPreprocessing` (request values) both go through here, so serving encodes a value exactly as training did.
 */
export function encodeScalarCell(encoding: 'number' | 'boolean' | 'datetime', raw: string): CellEncoding {
  if (isMissingCell(raw)) return bad('has no value (missing values are not imputed: fill or drop them)');
  const value = encoding === 'number' ? numberOfCell(raw) : encoding === 'boolean' ? booleanOfCell(raw) : epochMsOfCell(raw);
  if (Number.isFinite(value)) return ok(value);
  return bad(`${shown(raw)} is not a ${encoding === 'number' ? 'number' : encoding === 'boolean' ? 'boolean (true or false)' : 'date-time (ISO 8601)'}`);
}

/** A request value as the text cell it stands for; null when it is no value at all. */
function cellOfValue(value: unknown, encoding: TabularInputEncoding['encoding']): string | null | { problem: string } {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { problem: `${String(value)} is not a finite number` };
    // Dates may come as epoch milliseconds; anything else numeric reads as its shortest round-trip text.
    return String(value);
  }
  if (typeof value === 'boolean') return encoding === 'number' ? { problem: `${String(value)} is not a number` } : String(value);
  return {
    problem: `must be a ${encoding === 'one-hot' ? 'string' : encoding === 'boolean' ? 'boolean' : encoding === 'datetime' ? 'ISO 8601 string or epoch milliseconds' : 'number'}`,
  };
}

export interface ApplyPreprocessingOptions {
  /** The request path of `rows`, for error fields (`body.rows` → `body.rows.3.age`). Default `rows`. */
  field?: string;
}

/**
 * Request rows (column → value) → the model's input matrix, encoded as the training data was. Values may be JSON
 * values (numbers, booleans, strings; datetimes as ISO 8601 text or epoch milliseconds) or the text a CSV holds.
 * Columns the preprocessing does not use are ignored. A missing value, a value of the wrong kind or a category
 * the training data did not have is a 400 naming `<field>.<row>.<column>`.
 */
export function applyPreprocessing(
  preprocessing: TabularPreprocessing,
  rows: readonly Record<string, unknown>[],
  options: ApplyPreprocessingOptions = {},
): number[][] {
  const field = options.field ?? 'rows';
  const categoryIndex = preprocessing.inputs.map((input) => (input.encoding === 'one-hot' ? new Map(input.categories.map((c, i) => [c, i])) : null));
  const width = preprocessing.featureNames.length;
  return rows.map((row, r) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw invalid(`${field}.${r}`, 'must be an object of column name to value');
    const out = new Array<number>(width).fill(0);
    let at = 0;
    preprocessing.inputs.forEach((input, i) => {
      const where = `${field}.${r}.${input.column}`;
      const value = Object.prototype.hasOwnProperty.call(row, input.column) ? row[input.column] : undefined;
      const cell = cellOfValue(value, input.encoding);
      if (cell === null) throw invalid(where, 'has no value (the model needs every input column)');
      if (typeof cell === 'object') throw invalid(where, cell.problem);
      if (input.encoding === 'one-hot') {
        if (isMissingCell(cell)) throw invalid(where, 'has no value (the model needs every input column)');
        const index = (categoryIndex[i] as Map<string, number>).get(cell);
        if (index === undefined) throw invalid(where, `${shown(cell)} is not one of the ${input.categories.length} categories the model was trained on`);
        out[at + index] = 1;
        at += input.categories.length;
        return;
      }
      // Datetimes given as epoch milliseconds are taken as they are; text goes through the same parser as training.
      const encoded = input.encoding === 'datetime' && typeof value === 'number' ? ok(value) : encodeScalarCell(input.encoding, cell);
      if (encoded.problem !== null) throw invalid(where, encoded.problem);
      out[at++] = encoded.value;
    });
    return out;
  });
}

function invalid(field: string, message: string): SlipwayError {
  return new SlipwayError(ErrorCode.INVALID_ARGUMENT, `${field} ${message}`, [{ field, message }]);
}
