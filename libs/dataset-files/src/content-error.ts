import { ErrorCode, SlipwayError } from '@slipway/contracts';

/** Where in a file a problem is: 1-based line (the header is line 1) and column, with its name when known. */
export interface CellPosition {
  index: number;
  name?: string;
}

/** Bad file content: 422 naming the line (1-based, the header is line 1) and, where there is one, the column. */
export function contentError(message: string, line?: number, column?: CellPosition): SlipwayError {
  const where = [line === undefined ? null : `line ${line}`, column ? `column ${column.index}${column.name === undefined ? '' : ` ("${column.name}")`}` : null]
    .filter(Boolean)
    .join(', ');
  const full = where ? `${where}: ${message}` : message;
  return new SlipwayError(ErrorCode.FAILED_PRECONDITION, full, [{ field: 'body', message: full }]);
}
