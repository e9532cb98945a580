export function TableSkeleton({ label, rows = 5 }: { label: string; rows?: number }) {
  return (
    <div aria-busy="true" aria-label={label} className="animate-pulse overflow-hidden rounded-lg border border-slate-200 bg-white">
      <div className="h-9 bg-slate-100" />
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex gap-4 border-t border-slate-100 px-4 py-3">
          <div className="h-4 w-40 rounded bg-slate-200" />
          <div className="h-4 w-24 rounded bg-slate-200" />
          <div className="h-4 flex-1 rounded bg-slate-100" />
        </div>
      ))}
    </div>
  );
}
