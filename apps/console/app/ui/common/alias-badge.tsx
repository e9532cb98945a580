/** `@champion`: aliases read as refs (`model@champion`), so the badge shows them that way. */
export function AliasBadge({ alias }: { alias: string }) {
  const tone =
    alias === 'champion'
      ? 'bg-amber-50 text-amber-900 ring-amber-600/40'
      : alias === 'challenger'
        ? 'bg-sky-50 text-sky-900 ring-sky-600/40'
        : 'bg-indigo-50 text-indigo-900 ring-indigo-600/30';
  return (
    <span
      data-testid="alias-badge"
      data-alias={alias}
      className={`inline-flex items-center rounded-full px-2 py-0.5 font-mono text-xs font-medium ring-1 ring-inset ${tone}`}
    >
      @{alias}
    </span>
  );
}

export function TagList({ tags }: { tags: Record<string, string> }) {
  const entries = Object.entries(tags);
  if (entries.length === 0) return <span className="text-slate-500">—</span>;
  return (
    <ul className="flex flex-wrap gap-1">
      {entries.map(([key, value]) => (
        <li key={key} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
          {value === '' ? key : `${key}=${value}`}
        </li>
      ))}
    </ul>
  );
}
