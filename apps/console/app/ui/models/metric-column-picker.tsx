'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useOptimistic, useTransition } from 'react';

/** Which metrics the versions table shows, kept in `?metrics=` so a shared link shows the same columns. */
export function MetricColumnPicker({ available, chosen: fromUrl }: { available: string[]; chosen: string[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  // The boxes follow the click at once; the table follows when the server has rendered the new URL.
  const [chosen, setChosen] = useOptimistic(fromUrl);
  const [, startTransition] = useTransition();

  const update = (key: string, on: boolean) => {
    // Keep the order keys were picked in; a new one goes last.
    const next = on ? [...chosen, key] : chosen.filter((k) => k !== key);
    const params = new URLSearchParams(searchParams.toString());
    params.set('metrics', next.join(','));
    startTransition(() => {
      setChosen(next);
      router.replace(`${pathname}?${params.toString()}`, { scroll: false });
    });
  };

  if (available.length === 0) return <p className="text-xs text-slate-600">No metrics logged for these versions.</p>;
  return (
    <details className="relative" data-testid="metric-column-picker">
      <summary className="cursor-pointer list-none rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100">
        Metric columns ({chosen.length} of {available.length})
      </summary>
      <fieldset className="absolute right-0 z-10 mt-1 max-h-80 w-64 overflow-y-auto rounded-md border border-slate-200 bg-white p-3 shadow-lg">
        <legend className="sr-only">Metric columns to show</legend>
        {available.map((key) => (
          <label key={key} className="flex items-center gap-2 py-0.5 font-mono text-sm">
            <input type="checkbox" checked={chosen.includes(key)} onChange={(event) => update(key, event.target.checked)} />
            {key}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
