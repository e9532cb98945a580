'use client';

import { tuningStudyListSchema, type TuningStudyList, type TuningStudyStatus } from '@slipway/contracts';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { ApiResult } from '../../lib/api-result';
import { fetchFromConsole } from '../../lib/console-fetch';
import { formatAgo, formatDateTime, formatMetric } from '../../lib/format';
import { isActiveStudy } from '../../lib/studies/study-view';
import { ApiErrorNotice } from '../common/api-error-notice';
import { useLiveQuery, useNow } from '../query/use-live-query';
import { ScrollRegion } from '../training/scroll-region';
import { StudyProgress, StudyStatusBadge } from './study-status';

/** While any listed study is active the list polls this often; once every one has ended it stops. */
const POLL_MS = 2000;

export function StudiesLive({ initial, status, renderedAt }: { initial: ApiResult<TuningStudyList>; status?: TuningStudyStatus; renderedAt: string }) {
  const renderedAtMs = Date.parse(renderedAt);
  const [active, setActive] = useState(() => (initial.ok ? initial.data.studies : []).some((s) => isActiveStudy(s.status)));
  const path = status ? `/api/studies?status=${status}` : '/api/studies';
  const live = useLiveQuery(
    { queryKey: ['studies', status ?? 'all'], queryFn: ({ signal }) => fetchFromConsole(path, tuningStudyListSchema, { signal }) },
    initial,
    { intervalMs: active ? POLL_MS : 0, renderedAtMs },
  );
  const now = useNow(renderedAtMs);
  const studies = live.data?.studies;
  const stillActive = studies !== undefined && studies.some((s) => isActiveStudy(s.status));
  useEffect(() => {
    if (studies !== undefined) setActive(stillActive);
  }, [studies, stillActive]);
  return (
    <div className="space-y-3">
      {live.failure ? (
        <ApiErrorNotice
          title={studies === undefined ? 'Could not load the studies' : 'Live updates failed; showing the last list received'}
          failure={live.failure}
          testId="studies-error"
        />
      ) : null}
      {studies === undefined ? null : (
        <>
          <p className="text-xs text-slate-600" data-testid="studies-freshness" data-live={active ? 'true' : 'false'}>
            {active ? `Live: refreshing every ${POLL_MS / 1000} s while studies run. ` : ''}Updated {formatAgo(live.updatedAt, now)}.
          </p>
          <StudiesTable studies={studies} filtered={status !== undefined} />
        </>
      )}
    </div>
  );
}

function StudiesTable({ studies, filtered }: { studies: TuningStudyList['studies']; filtered: boolean }) {
  if (studies.length === 0) {
    return (
      <p data-testid="studies-empty" className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
        {filtered ? 'No study has this status.' : 'No study yet. Start a hyper-parameter search with “New study”.'}
      </p>
    );
  }
  return (
    <ScrollRegion label="Studies table" className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="studies-table">
        <caption className="sr-only">Tuning studies, newest first</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            {['Study', 'Status', 'Algorithm', 'Dataset', 'Trials', 'Best', 'Created'].map((h) => (
              <th key={h} scope="col" className="px-4 py-2">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {studies.map((study) => (
            <tr key={study.id} data-testid="study-row" data-study-id={study.id} data-status={study.status}>
              <th scope="row" className="px-4 py-2 text-left font-medium">
                <Link href={`/studies/${study.id}`} className="text-sky-700 underline-offset-2 hover:underline">
                  {study.name}
                </Link>
                <p className="font-mono text-xs font-normal text-slate-600">
                  {study.strategy} · {study.objective.direction} {study.objective.metric}
                </p>
              </th>
              <td className="whitespace-nowrap px-4 py-2">
                <StudyStatusBadge status={study.status} />
              </td>
              <td className="whitespace-nowrap px-4 py-2 font-mono text-xs">{study.algorithm}</td>
              <td className="px-4 py-2 text-xs">{study.dataset ? study.dataset.name : <span className="text-slate-600">deleted</span>}</td>
              <td className="px-4 py-2">
                <StudyProgress study={study} />
              </td>
              <td className="whitespace-nowrap px-4 py-2 font-mono text-xs tabular-nums" data-testid="study-best">
                {study.best ? formatMetric(study.best.value) : '—'}
              </td>
              <td className="whitespace-nowrap px-4 py-2 text-xs text-slate-600">{formatDateTime(study.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
