import Link from 'next/link';

/** A plain GET form: the search lives in the URL, works without JavaScript and can be shared. */
export function DatasetSearchForm({ search }: { search: string }) {
  return (
    <form method="get" action="/datasets" role="search" aria-label="Datasets" className="mb-4 flex flex-wrap items-end gap-3">
      <div>
        <label htmlFor="dataset-search" className="block text-xs font-medium text-slate-700">
          Name contains
        </label>
        <input
          id="dataset-search"
          name="search"
          defaultValue={search}
          type="search"
          maxLength={128}
          className="mt-1 w-64 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        />
      </div>
      <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-800">
        Search
      </button>
      {search ? (
        <Link href="/datasets" className="px-2 py-1.5 text-sm text-slate-600 underline hover:text-slate-900">
          Clear
        </Link>
      ) : null}
    </form>
  );
}
