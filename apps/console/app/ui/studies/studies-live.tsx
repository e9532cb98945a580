'use client';

import { tuningStudyListSchema, type TuningStudyList, type TuningStudyStatus } from '@slipway/contracts';
import Link from 'next/link';
import type { ApiResult } from '../../lib/api-result';
import { formatDateTime, formatMetric } from '../../lib/format';
import { isActiveStudy } from '../../lib/studies/study-view';
import { ListTable, LiveActiveList } from '../common/live-list';
import { StudyProgress, StudyStatusBadge } from './study-status';

type StudyRow = TuningStudyList['studies'][number];

export function StudiesLive({ initial, status, renderedAt }: { initial: ApiResult<TuningStudyList>; status?: TuningStudyStatus; renderedAt: string }) {
  return (
    <LiveActiveList
      initial={initial}
      renderedAt={renderedAt}
      queryKey={['studies', status ?? 'all']}
      path={status ? `/api/studies?status=${status}` : '/api/studies'}
      schema={tuningStudyListSchema}
      itemsOf={(data: TuningStudyList) => data.studies}
      isActive={(study: StudyRow) => isActiveStudy(study.status)}
      text={{ testIdPrefix: 'studies', loadError: 'Could not load the studies', whileActive: 'while studies run' }}
    >
      {(studies) => <StudiesTable studies={studies} filtered={status !== undefined} />}
    </LiveActiveList>
  );
}

function StudiesTable({ studies, filtered }: { studies: StudyRow[]; filtered: boolean }) {
  return (
    <ListTable
      label="Studies table"
      testId="studies-table"
      caption="Tuning studies, newest first"
      columns={['Study', 'Status', 'Algorithm', 'Dataset', 'Trials', 'Best', 'Created']}
      empty={
        studies.length === 0
          ? { testId: 'studies-empty', text: filtered ? 'No study has this status.' : 'No study yet. Start a hyper-parameter search with “New study”.' }
          : null
      }
    >
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
    </ListTable>
  );
}
