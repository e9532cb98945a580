import Link from 'next/link';
import type { ReactNode } from 'react';
import type { TrainingAlgorithmList } from '@slipway/contracts';
import { getWhoAmI } from '../../lib/api';
import { canWrite } from '../../lib/permissions';
import { listDatasetsForTraining, listTrainingAlgorithms } from '../../lib/training-api';
import { ApiErrorNotice } from '../common/api-error-notice';
import type { DatasetChoice } from './new-job-form';

/**
 * Loads what a form that starts training needs (a new job, a new study): the caller's role, the algorithms and
 * the datasets. A reader gets a note saying why there is no form and where to look instead; a failed load names
 * what failed; an empty dataset list gets a pointer to where datasets come from, and the form is still shown.
 */
export async function TrainingFormInputs({
  readOnly,
  children,
}: {
  /** `what` ends "starting … needs an editor or admin token"; the link goes to the list the reader can see. */
  readOnly: { testId: string; what: string; listHref: string; listLabel: string; listShows: string };
  children: (inputs: { algorithms: TrainingAlgorithmList['algorithms']; datasets: DatasetChoice[] }) => ReactNode;
}) {
  const [identity, algorithms, datasets] = await Promise.all([getWhoAmI(), listTrainingAlgorithms(), listDatasetsForTraining()]);
  if (!canWrite(identity)) {
    return (
      <p className="rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-700" data-testid={readOnly.testId}>
        {identity.ok ? `Your token's role is ${identity.data.role}: ` : ''}starting {readOnly.what} needs an editor or admin token. The{' '}
        <Link href={readOnly.listHref} className="text-sky-700 underline">
          {readOnly.listLabel}
        </Link>{' '}
        shows {readOnly.listShows}.
      </p>
    );
  }
  if (!algorithms.ok) return <ApiErrorNotice title="Could not load the algorithms" failure={algorithms.error} testId="algorithms-error" />;
  if (!datasets.ok) return <ApiErrorNotice title="Could not load the datasets" failure={datasets.error} testId="datasets-error" />;
  // Slim rows for the browser: the profiles stay on the server.
  const choices: DatasetChoice[] = datasets.data.datasets.map((d) => ({
    id: d.id,
    name: d.name,
    rows: d.rows,
    columns: d.columns,
    targetColumn: d.targetColumn,
  }));
  return (
    <>
      {choices.length === 0 ? (
        <p className="mb-4 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900" data-testid="no-datasets">
          No dataset yet: upload a CSV or add a built-in sample on the Datasets page (or with <code>slipway datasets upload</code>) first.
        </p>
      ) : null}
      {children({ algorithms: algorithms.data.algorithms, datasets: choices })}
    </>
  );
}
