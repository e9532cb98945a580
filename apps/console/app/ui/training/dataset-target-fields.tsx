import { SelectField } from '../forms/form-fields';
import type { DatasetChoice } from './new-job-form';

/**
 * The dataset and target column choices every form that trains starts with (a job, a study). A clustering
 * algorithm takes no target, so the blank choice says which it means.
 */
export function DatasetTargetFields({
  datasets,
  datasetId,
  onDataset,
  target,
  onTarget,
  columns,
  targetRequired,
  problems,
}: {
  datasets: DatasetChoice[];
  datasetId: string;
  onDataset: (id: string) => void;
  target: string;
  onTarget: (column: string) => void;
  columns: readonly { name: string; type: string }[];
  targetRequired: boolean | undefined;
  problems: ReadonlyMap<string, string>;
}) {
  return (
    <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
      <SelectField path="datasetId" label="Dataset" value={datasetId} onChange={onDataset} problem={problems.get('datasetId')}>
        {datasets.length === 0 ? <option value="">No dataset yet</option> : null}
        {datasets.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name} ({d.rows} rows)
          </option>
        ))}
      </SelectField>
      <SelectField path="targetColumn" label="Target column" value={target} onChange={onTarget} problem={problems.get('targetColumn')}>
        <option value="">{targetRequired ? 'Choose the column to predict' : 'None (clustering without labels)'}</option>
        {columns.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name} ({c.type})
          </option>
        ))}
      </SelectField>
    </div>
  );
}
