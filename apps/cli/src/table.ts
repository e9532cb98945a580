/** Aligned columns for people; `--json` is for machines. Cells are single-line (newlines become spaces). */
export function formatTable(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const text = (cell: string | number | null | undefined) =>
    cell === null || cell === undefined || cell === '' ? '-' : String(cell).replace(/\s*\n\s*/g, ' ');
  const cells = [headers, ...rows.map((row) => headers.map((_, i) => text(row[i])))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return (
    cells
      .map((row) =>
        row
          .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i])))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Metric values with up to 4 significant decimals, no trailing zeros; NaN, Infinity and -Infinity as words. */
export function formatNumber(value: number | 'NaN' | 'Infinity' | '-Infinity' | null | undefined): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'string' || !Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(Math.abs(value) >= 1 ? 6 : 4)));
}

/** `2026-11-27T04:36:40.123Z` → `2026-11-27 04:36` (UTC). */
export function formatTime(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '-';
}
