'use client';

import { trainingJobListSchema, type TrainingJobList, type TrainingJobStatus } from '@slipway/contracts';
import Link from 'next/link';
import type { ApiResult } from '../../lib/api-result';
import { formatDateTime } from '../../lib/format';
import { isActiveJob } from '../../lib/training-view';
import { ListTable, LiveActiveList } from '../common/live-list';
import { JobProgress, JobStatusBadge } from './job-status';

type JobRow = TrainingJobList['jobs'][number];

export function TrainingJobsLive({ initial, status, renderedAt }: { initial: ApiResult<TrainingJobList>; status?: TrainingJobStatus; renderedAt: string }) {
  return (
    <LiveActiveList
      initial={initial}
      renderedAt={renderedAt}
      queryKey={['training-jobs', status ?? 'all']}
      path={status ? `/api/training/jobs?status=${status}` : '/api/training/jobs'}
      schema={trainingJobListSchema}
      itemsOf={(data: TrainingJobList) => data.jobs}
      isActive={(job: JobRow) => isActiveJob(job.status)}
      text={{ testIdPrefix: 'jobs', loadError: 'Could not load the training jobs', whileActive: 'while jobs are active' }}
    >
      {(jobs) => <JobsTable jobs={jobs} filtered={status !== undefined} />}
    </LiveActiveList>
  );
}

function JobsTable({ jobs, filtered }: { jobs: JobRow[]; filtered: boolean }) {
  return (
    <ListTable
      label="Training jobs table"
      testId="jobs-table"
      caption="Training jobs, newest first"
      columns={['Job', 'Status', 'Algorithm', 'Dataset', 'Progress', 'Attempts', 'Created']}
      empty={
        jobs.length === 0
          ? { testId: 'jobs-empty', text: filtered ? 'No training job has this status.' : 'No training job yet. Start one from a dataset with “New job”.' }
          : null
      }
    >
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
    </ListTable>
  );
}
