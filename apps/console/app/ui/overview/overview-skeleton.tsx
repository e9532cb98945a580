export function OverviewSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading the overview" className="animate-pulse space-y-8">
      <div className="h-3 w-64 rounded bg-slate-200" />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {Array.from({ length: 7 }, (_, i) => (
          <div key={i} className="h-24 rounded-lg border border-slate-200 bg-white" />
        ))}
      </div>
      <div className="h-40 rounded-lg border border-slate-200 bg-white" />
      <div className="h-40 rounded-lg border border-slate-200 bg-white" />
    </div>
  );
}
