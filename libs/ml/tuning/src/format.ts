/** A number for a reason string: 6 significant digits, no trailing zeros. */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return String(Number.parseFloat(value.toPrecision(6)));
}
