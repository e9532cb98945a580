import type { ModelView } from '@slipway/contracts';
import Link from 'next/link';
import { formatDateTime } from '../../lib/format';
import { AliasBadge, TagList } from '../common/alias-badge';
import { StatusBadge } from '../common/status-badge';

export function ModelsTable({ models, filtered, nextHref }: { models: ModelView[]; filtered: boolean; nextHref?: string }) {
  if (models.length === 0) {
    return (
      <p data-testid="models-empty" className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
        {filtered
          ? 'No model matches this search.'
          : 'No model has been registered yet. Register one from a run (API, CLI or a training job) and it appears here.'}
      </p>
    );
  }
  return (
    <>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Registered models</caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">
                Name
              </th>
              <th scope="col" className="px-4 py-2">
                Latest version
              </th>
              <th scope="col" className="px-4 py-2">
                Versions
              </th>
              <th scope="col" className="px-4 py-2">
                Aliases
              </th>
              <th scope="col" className="px-4 py-2">
                Tags
              </th>
              <th scope="col" className="px-4 py-2">
                Updated
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {models.map((model) => (
              <tr key={model.id} data-testid="model-row" data-model={model.name}>
                <th scope="row" className="px-4 py-2 text-left font-medium">
                  <Link href={`/models/${encodeURIComponent(model.name)}`} className="text-sky-700 underline-offset-2 hover:underline">
                    {model.name}
                  </Link>
                  {model.description ? <p className="max-w-sm truncate text-xs font-normal text-slate-600">{model.description}</p> : null}
                </th>
                <td className="whitespace-nowrap px-4 py-2" data-testid="model-latest-version">
                  {model.latestVersion ? (
                    <span className="flex items-center gap-2">
                      <span className="font-mono">v{model.latestVersion.version}</span>
                      <StatusBadge
                        tone={model.latestVersion.status === 'READY' ? 'good' : model.latestVersion.status === 'FAILED' ? 'bad' : 'neutral'}
                        label={model.latestVersion.status.toLowerCase().replace('_', ' ')}
                      />
                    </span>
                  ) : (
                    <span className="text-slate-500">none</span>
                  )}
                </td>
                <td className="px-4 py-2 tabular-nums">{model.versionCount}</td>
                <td className="px-4 py-2">
                  {model.aliases.length === 0 ? (
                    <span className="text-slate-500">—</span>
                  ) : (
                    <ul className="flex flex-wrap gap-1">
                      {model.aliases.map((a) => (
                        <li key={a.alias} className="flex items-center gap-1">
                          <AliasBadge alias={a.alias} />
                          <span className="font-mono text-xs text-slate-600">v{a.version}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="px-4 py-2">
                  <TagList tags={model.tags} />
                </td>
                <td className="whitespace-nowrap px-4 py-2 text-slate-600">
                  <time dateTime={model.updatedAt}>{formatDateTime(model.updatedAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {nextHref ? (
        <p className="mt-3">
          <Link href={nextHref} className="text-sm font-medium text-sky-700 underline">
            Next page
          </Link>
        </p>
      ) : null}
    </>
  );
}
