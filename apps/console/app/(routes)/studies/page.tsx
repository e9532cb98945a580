import { TUNING_STUDY_STATUSES, tuningStudyStatusSchema, type TuningStudyStatus } from '@slipway/contracts';
import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { getWhoAmI } from '../../lib/api';
import { canWrite } from '../../lib/permissions';
import { firstParam, type SearchParams } from '../../lib/search-params';
import { listStudies } from '../../lib/studies/studies-api';
import { TableSkeleton } from '../../ui/common/table-skeleton';
import { PageHeader } from '../../ui/layout/page-header';
import { StudiesLive } from '../../ui/studies/studies-live';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Studies' };

export default async function StudiesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const parsed = tuningStudyStatusSchema.safeParse(firstParam((await searchParams).status));
  const status = parsed.success ? parsed.data : undefined;
  const identity = await getWhoAmI();
  return (
    <>
      <PageHeader
        title="Studies"
        description="Hyper-parameter searches: each trial is a training job on the workers; the study keeps the best."
        aside={
          canWrite(identity) ? (
            <Link href="/studies/new" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-800">
              New study
            </Link>
          ) : (
            <p className="text-xs text-slate-600" data-testid="studies-read-only">
              {identity.ok ? `Your token's role is ${identity.data.role}: ` : ''}starting a study needs an editor or admin token.
            </p>
          )
        }
      />
      <StatusFilter status={status} />
      <Suspense key={status ?? 'all'} fallback={<TableSkeleton label="Loading studies" />}>
        <StudiesData status={status} />
      </Suspense>
    </>
  );
}

function StatusFilter({ status }: { status?: TuningStudyStatus }) {
  const options: { label: string; value?: TuningStudyStatus }[] = [
    { label: 'All' },
    ...TUNING_STUDY_STATUSES.map((value) => ({ label: value.toLowerCase(), value })),
  ];
  return (
    <nav aria-label="Filter by status" className="mb-4">
      <ul className="flex flex-wrap gap-2 text-sm">
        {options.map((option) => {
          const current = option.value === status;
          return (
            <li key={option.label}>
              <Link
                href={option.value ? `/studies?status=${option.value}` : '/studies'}
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

async function StudiesData({ status }: { status?: TuningStudyStatus }) {
  const studies = await listStudies({ status, limit: 100 });
  return <StudiesLive initial={studies} status={status} renderedAt={new Date().toISOString()} />;
}
