import Link from 'next/link';

/** A plain GET form: the search lives in the URL, works without JavaScript and can be shared. */
export function ModelSearchForm({ search, tag }: { search: string; tag: string }) {
  return (
    <form method="get" action="/models" role="search" aria-label="Models" className="mb-4 flex flex-wrap items-end gap-3">
      <div>
        <label htmlFor="model-search" className="block text-xs font-medium text-slate-700">
          Name contains
        </label>
        <input
          id="model-search"
          name="search"
          defaultValue={search}
          type="search"
          className="mt-1 w-64 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        />
      </div>
      <div>
        <label htmlFor="model-tag" className="block text-xs font-medium text-slate-700">
          Tag (<code className="font-mono">key</code> or <code className="font-mono">key=value</code>)
        </label>
        <input id="model-tag" name="tag" defaultValue={tag} className="mt-1 w-56 rounded-md border border-slate-300 px-3 py-1.5 font-mono text-sm" />
      </div>
      <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-800">
        Search
      </button>
      {search || tag ? (
        <Link href="/models" className="px-2 py-1.5 text-sm text-slate-600 underline hover:text-slate-900">
          Clear
        </Link>
      ) : null}
    </form>
  );
}
