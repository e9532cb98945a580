import Link from 'next/link';
import { Suspense, type ReactNode } from 'react';
import type { WhoAmI } from '@slipway/contracts';
import type { ApiResult } from '../../lib/api-result';
import { canWrite } from '../../lib/permissions';
import { PageHeader } from '../layout/page-header';
import { TableSkeleton } from './table-skeleton';

/**
 * The frame of a list page filtered by status (training jobs, studies): the header with its "New …" link for
 * writers (or why not, for readers), the status filter, and the list streamed in under a skeleton. The list is
 * keyed by status so switching the filter shows the skeleton again rather than the previous status's rows.
 */
export function StatusListPage<S extends string>({
  title,
  description,
  basePath,
  identity,
  create,
  statuses,
  status,
  loadingLabel,
  children,
}: {
  title: string;
  description: string;
  /** The list's own path: the filter links are `basePath?status=…`, the new page `basePath/new`. */
  basePath: string;
  identity: ApiResult<WhoAmI>;
  /** `label` names the link; `what` ends "starting … needs an editor or admin token"; `readOnlyTestId` marks that note. */
  create: { label: string; what: string; readOnlyTestId: string };
  statuses: readonly S[];
  status?: S;
  loadingLabel: string;
  children: ReactNode;
}) {
  return (
    <>
      <PageHeader
        title={title}
        description={description}
        aside={
          canWrite(identity) ? (
            <Link href={`${basePath}/new`} className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-800">
              {create.label}
            </Link>
          ) : (
            <p className="text-xs text-slate-600" data-testid={create.readOnlyTestId}>
              {identity.ok ? `Your token's role is ${identity.data.role}: ` : ''}starting {create.what} needs an editor or admin token.
            </p>
          )
        }
      />
      <StatusFilter basePath={basePath} statuses={statuses} status={status} />
      <Suspense key={status ?? 'all'} fallback={<TableSkeleton label={loadingLabel} />}>
        {children}
      </Suspense>
    </>
  );
}

function StatusFilter<S extends string>({ basePath, statuses, status }: { basePath: string; statuses: readonly S[]; status?: S }) {
  const options: { label: string; value?: S }[] = [{ label: 'All' }, ...statuses.map((value) => ({ label: value.toLowerCase(), value }))];
  return (
    <nav aria-label="Filter by status" className="mb-4">
      <ul className="flex flex-wrap gap-2 text-sm">
        {options.map((option) => {
          const current = option.value === status;
          return (
            <li key={option.label}>
              <Link
                href={option.value ? `${basePath}?status=${option.value}` : basePath}
                aria-current={current ? 'page' : undefined}
                className={`rounded-full px-3 py-1 ring-1 ring-inset ${current ? 'bg-slate-900 text-white ring-slate-900' : 'text-slate-700 ring-slate-300 hover:bg-slate-100'}`}
              >
                {option.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
