'use client';

import { trainingJobListSchema, type TrainingJobList, type TrainingJobStatus } from '@slipway/contracts';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { ApiResult } from '../../lib/api-result';
import { fetchFromConsole } from '../../lib/console-fetch';
import { formatAgo, formatDateTime } from '../../lib/format';
import { isActiveJob } from '../../lib/training-view';
import { ApiErrorNotice } from '../common/api-error-notice';
import { useLiveQuery, useNow } from '../query/use-live-query';
import { JobProgress, JobStatusBadge } from './job-status';
import { ScrollRegion } from './scroll-region';

/** While any listed job is queued or running the list polls this often; once all are done it stops. */
const POLL_MS = 2000;

export function TrainingJobsLive({ initial, status, renderedAt }: { initial: ApiResult<TrainingJobList>; status?: TrainingJobStatus; renderedAt: string }) {
  const renderedAtMs = Date.parse(renderedAt);
  // Whether to keep polling follows the latest list: it stops once every job shown has ended.
  const [active, setActive] = useState(() => (initial.ok ? initial.data.jobs : []).some((job) => isActiveJob(job.status)));
  const path = status ? `/api/training/jobs?status=${status}` : '/api/training/jobs';
  const live = useLiveQuery(
    { queryKey: ['training-jobs', status ?? 'all'], queryFn: ({ signal }) => fetchFromConsole(path, trainingJobListSchema, { signal }) },
    initial,
    { intervalMs: active ? POLL_MS : 0, renderedAtMs },
  );
  const now = useNow(renderedAtMs);
  const jobs = live.data?.jobs;
  const stillActive = jobs !== undefined && jobs.some((job) => isActiveJob(job.status));
  useEffect(() => {
    if (jobs !== undefined) setActive(stillActive);
  }, [jobs, stillActive]);
  return (
    <div className="space-y-3">
      {live.failure ? (
        <ApiErrorNotice
          title={jobs === undefined ? 'Could not load the training jobs' : 'Live updates failed; showing the last list received'}
          failure={live.failure}
          testId="jobs-error"
        />
      ) : null}
      {jobs === undefined ? null : (
        <>
          <p className="text-xs text-slate-600" data-testid="jobs-freshness" data-live={active ? 'true' : 'false'}>
            {active ? `Live: refreshing every ${POLL_MS / 1000} s while jobs are active. ` : ''}Updated {formatAgo(live.updatedAt, now)}.
          </p>
          <JobsTable jobs={jobs} filtered={status !== undefined} />
        </>
      )}
    </div>
  );
}

function JobsTable({ jobs, filtered }: { jobs: TrainingJobList['jobs']; filtered: boolean }) {
  if (jobs.length === 0) {
    return (
      <p data-testid="jobs-empty" className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
        {filtered ? 'No training job has this status.' : 'No training job yet. Start one from a dataset with “New job”.'}
      </p>
    );
  }
  return (
    <ScrollRegion label="Training jobs table" className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="jobs-table">
        <caption className="sr-only">Training jobs, newest first</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            {['Job', 'Status', 'Algorithm', 'Dataset', 'Progress', 'Attempts', 'Created'].map((h) => (
              <th key={h} scope="col" className="px-4 py-2">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {jobs.map((job) => (
            <tr key={job.id} data-testid="job-row" data-job-id={job.id} data-status={job.status}>
              <th scope="row" className="px-4 py-2 text-left font-medium">
                <Link href={`/training/${job.id}`} className="text-sky-700 underline-offset-2 hover:underline">
                  {job.name}
                </Link>
                {job.modelVersion ? (
                  <p className="font-mono text-xs font-normal text-slate-600">
                    {job.modelVersion.model} v{job.modelVersion.version}
                  </p>
                ) : null}
              </th>
              <td className="whitespace-nowrap px-4 py-2">
                <JobStatusBadge status={job.status} />
              </td>
              <td className="whitespace-nowrap px-4 py-2 font-mono text-xs">{job.algorithm}</td>
              <td className="px-4 py-2 text-xs">{job.dataset ? job.dataset.name : <span className="text-slate-600">deleted</span>}</td>
              <td className="px-4 py-2">
                <JobProgress job={job} />
              </td>
              <td className="whitespace-nowrap px-4 py-2 tabular-nums" data-testid="job-attempts">
                {job.attempts}/{job.maxAttempts}
              </td>
              <td className="whitespace-nowrap px-4 py-2 text-xs text-slate-600">{formatDateTime(job.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
