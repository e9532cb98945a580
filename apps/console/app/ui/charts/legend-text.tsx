/** Legend labels in readable text colour; the swatch next to each already carries the series colour. */
export function legendText(value: string) {
  return <span className="text-slate-700">{value}</span>;
}
