'use client';

import { createTrainingJobRequestSchema, type TrainingAlgorithmList } from '@slipway/contracts';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import {
  draftOf,
  fieldSpecOf,
  numberProblem,
  problemsByField,
  readDraft,
  type Draft,
  type FieldProblem,
  type FieldSpec,
  type JsonValue,
} from '../../lib/hyperparameter-form';
import { createTrainingJobAction } from '../../lib/training-actions';
import { FieldProblemText, fieldId } from '../forms/field-problem';
import { FormSection, SelectField, TextField } from '../forms/form-fields';
import { FormSummary } from '../forms/form-summary';
import { useActionSubmit } from '../forms/use-action-submit';
import { DatasetTargetFields } from './dataset-target-fields';
import { ObjectFields } from './hyperparameter-fields';

type AlgorithmInfo = TrainingAlgorithmList['algorithms'][number];

export interface DatasetChoice {
  id: string;
  name: string;
  rows: number;
  columns: { name: string; type: string }[];
  targetColumn: string | null;
}

interface Props {
  algorithms: AlgorithmInfo[];
  datasets: DatasetChoice[];
  initialDatasetId?: string;
}

/** Bounds of the evaluation plan, as libs/contracts' evaluation-plan schemas. */
const TEST_FRACTION = { kind: 'number', integer: false, exclusiveMinimum: 0, exclusiveMaximum: 1 } as const;
const FOLDS = { kind: 'number', integer: true, minimum: 2, maximum: 20 } as const;

function numberField(text: string, spec: Parameters<typeof numberProblem>[0], path: string, problems: FieldProblem[]): number | undefined {
  const read = readDraft(spec, { kind: 'text', text }, path, true);
  problems.push(...read.problems);
  return typeof read.value === 'number' ? read.value : undefined;
}

/**
 * The "New training job" form. The hyper-parameter fields are generated from the JSON Schema the API serves for
 * the chosen algorithm, pre-filled with its defaults and checked against its bounds as the user types; the whole
 * body is then checked with the API's own request contract, and whatever the API still refuses (400) is shown
 * beside the field it names.
 */
export function NewTrainingJobForm({ algorithms, datasets, initialDatasetId }: Props) {
  const router = useRouter();
  const [datasetId, setDatasetId] = useState(() => datasets.find((d) => d.id === initialDatasetId)?.id ?? datasets[0]?.id ?? '');
  const dataset = datasets.find((d) => d.id === datasetId);
  const [algorithm, setAlgorithm] = useState(() => (algorithms.find((a) => a.algorithm === 'cart') ?? algorithms[0])?.algorithm ?? 'cart');
  const info = algorithms.find((a) => a.algorithm === algorithm);
  const specs = useMemo(() => new Map(algorithms.map((a) => [a.algorithm, fieldSpecOf(a.hyperparameters)])), [algorithms]);
  const spec: FieldSpec | undefined = specs.get(algorithm);
  // One draft per algorithm, so switching back and forth keeps what was typed.
  const [drafts, setDrafts] = useState<Record<string, Draft>>(() =>
    Object.fromEntries(algorithms.map((a) => [a.algorithm, draftOf(specs.get(a.algorithm) ?? { kind: 'json' }, a.defaults as JsonValue)])),
  );
  const [target, setTarget] = useState<string>(() => dataset?.targetColumn ?? '');
  const [excluded, setExcluded] = useState<ReadonlySet<string>>(new Set());
  const [planKind, setPlanKind] = useState<'split' | 'kfold'>('split');
  const [testFraction, setTestFraction] = useState('0.2');
  const [folds, setFolds] = useState('5');
  const [stratify, setStratify] = useState(true);
  const [seed, setSeed] = useState('0');
  const [experiment, setExperiment] = useState('');
  const [name, setName] = useState('');
  const [registerModel, setRegisterModel] = useState('');
  const [registerAlias, setRegisterAlias] = useState('');

  const columns = dataset?.columns ?? [];
  const features = columns.filter((c) => c.name !== target);
  const task = info?.tasks.join(' / ') ?? '';

  // Everything the form would send, and every problem with it, recomputed as the user types.
  const { request, problems } = useMemo(() => {
    const found: FieldProblem[] = [];
    const body: Record<string, unknown> = { datasetId, algorithm };
    if (!datasetId) found.push({ field: 'datasetId', message: 'choose a dataset' });
    if (spec) {
      const read = readDraft(spec, drafts[algorithm] ?? draftOf(spec, undefined), 'hyperparameters');
      found.push(...read.problems);
      body['hyperparameters'] = read.value ?? {};
    }
    if (target !== '') body['targetColumn'] = target;
    else if (info?.targetRequired) found.push({ field: 'targetColumn', message: `${info.title} needs a target column` });
    const chosen = features.filter((c) => !excluded.has(c.name)).map((c) => c.name);
    if (chosen.length === 0) found.push({ field: 'featureColumns', message: 'choose at least one feature column' });
    // All of them is the API's default; naming them all would only freeze today's column list into the job.
    else if (chosen.length < features.length) body['featureColumns'] = chosen;
    if (planKind === 'split')
      body['evaluationPlan'] = { kind: 'split', testFraction: numberField(testFraction, TEST_FRACTION, 'evaluationPlan.testFraction', found), stratify };
    else body['evaluationPlan'] = { kind: 'kfold', folds: numberField(folds, FOLDS, 'evaluationPlan.folds', found), stratify };
    const seedValue = numberField(seed, { kind: 'number', integer: true, minimum: 0, maximum: 4_294_967_295 }, 'seed', found);
    if (seedValue !== undefined) body['seed'] = seedValue;
    if (experiment.trim() !== '') body['experiment'] = experiment.trim();
    if (name.trim() !== '') body['name'] = name.trim();
    if (registerModel.trim() !== '')
      body['registerAs'] = { model: registerModel.trim(), ...(registerAlias.trim() !== '' ? { alias: registerAlias.trim() } : {}) };
    else if (registerAlias.trim() !== '') found.push({ field: 'registerAs.model', message: 'name the model the alias belongs to' });
    // The API's own contract has the last word on everything the fields above do not check (names, lengths).
    if (found.length === 0) {
      const parsed = createTrainingJobRequestSchema.safeParse(body);
      if (!parsed.success) for (const issue of parsed.error.issues) found.push({ field: issue.path.join('.'), message: issue.message });
    }
    return { request: body, problems: found };
  }, [
    datasetId,
    algorithm,
    spec,
    drafts,
    target,
    info,
    features,
    excluded,
    planKind,
    testFraction,
    folds,
    stratify,
    seed,
    experiment,
    name,
    registerModel,
    registerAlias,
  ]);
  const { submit, clearAnswer, serverProblems, refusal, submitting, attempted, unplaced } = useActionSubmit({
    request,
    problems,
    send: createTrainingJobAction,
    onDone: (id) => router.push(`/training/${id}`),
  });

  const shown = useMemo(() => problemsByField([...serverProblems, ...problems]), [serverProblems, problems]);
  const edited = clearAnswer;

  function chooseDataset(id: string) {
    setDatasetId(id);
    setTarget(datasets.find((d) => d.id === id)?.targetColumn ?? '');
    setExcluded(new Set());
    edited();
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-6" aria-describedby="form-summary" data-testid="new-job-form">
      <FormSection title="Data">
        <DatasetTargetFields
          datasets={datasets}
          datasetId={datasetId}
          onDataset={chooseDataset}
          target={target}
          onTarget={(column) => {
            setTarget(column);
            edited();
          }}
          columns={columns}
          targetRequired={info?.targetRequired}
          problems={shown}
        />
        <fieldset className="mt-4" aria-describedby={shown.has('featureColumns') ? `${fieldId('featureColumns')}-problem` : undefined}>
          <legend className="text-xs font-medium text-slate-700">
            Feature columns ({features.length - features.filter((c) => excluded.has(c.name)).length} of {features.length})
          </legend>
          <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1" data-testid="feature-columns">
            {features.map((c) => (
              <li key={c.name}>
                <label className="flex items-center gap-1.5 text-sm">
                  <input
                    type="checkbox"
                    checked={!excluded.has(c.name)}
                    onChange={(event) => {
                      const next = new Set(excluded);
                      if (event.target.checked) next.delete(c.name);
                      else next.add(c.name);
                      setExcluded(next);
                      edited();
                    }}
                    className="h-4 w-4 rounded border-slate-300"
                  />
                  <span className="font-mono">{c.name}</span>
                  <span className="text-xs text-slate-600">{c.type}</span>
                </label>
              </li>
            ))}
          </ul>
          <FieldProblemText path="featureColumns" problem={shown.get('featureColumns')} />
        </fieldset>
      </FormSection>

      <FormSection title="Algorithm">
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <SelectField
            path="algorithm"
            label="Algorithm"
            value={algorithm}
            onChange={(value) => {
              setAlgorithm(value as typeof algorithm);
              edited();
            }}
          >
            {algorithms.map((a) => (
              <option key={a.algorithm} value={a.algorithm}>
                {a.title}
              </option>
            ))}
          </SelectField>
          {info ? (
            <p className="self-end text-sm text-slate-700" data-testid="algorithm-description">
              {info.description}{' '}
              <span className="text-xs text-slate-600">
                ({task}; {info.datasetKind} data)
              </span>
            </p>
          ) : null}
        </div>
        {spec?.kind === 'object' ? (
          <fieldset className="mt-4" data-testid="hyperparameters" data-algorithm={algorithm}>
            <legend className="mb-2 text-sm font-semibold text-slate-900">Hyper-parameters</legend>
            <ObjectFields
              fields={spec.fields}
              draft={drafts[algorithm] ?? draftOf(spec, undefined)}
              path="hyperparameters"
              problems={shown}
              onChange={(next) => {
                setDrafts({ ...drafts, [algorithm]: next });
                edited();
              }}
            />
            <button
              type="button"
              onClick={() => {
                setDrafts({ ...drafts, [algorithm]: draftOf(spec, (info?.defaults ?? {}) as JsonValue) });
                edited();
              }}
              className="mt-3 text-xs font-medium text-sky-800 underline"
            >
              Reset to the defaults
            </button>
          </fieldset>
        ) : (
          <p className="mt-3 text-sm text-slate-600">The API sent no hyper-parameter schema for this algorithm; its defaults apply.</p>
        )}
      </FormSection>

      <FormSection title="Evaluation">
        <fieldset>
          <legend className="text-xs font-medium text-slate-700">Plan</legend>
          <div className="mt-1 flex flex-wrap gap-4 text-sm">
            <label className="flex items-center gap-1.5">
              <input type="radio" name="plan" checked={planKind === 'split'} onChange={() => (setPlanKind('split'), edited())} />
              Hold-out split
            </label>
            <label className="flex items-center gap-1.5">
              <input type="radio" name="plan" checked={planKind === 'kfold'} onChange={() => (setPlanKind('kfold'), edited())} />
              k-fold cross-validation
            </label>
          </div>
        </fieldset>
        <div className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-3">
          {planKind === 'split' ? (
            <TextField
              path="evaluationPlan.testFraction"
              label="Test fraction"
              hint="number > 0 and < 1"
              value={testFraction}
              onChange={(v) => (setTestFraction(v), edited())}
              problems={shown}
            />
          ) : (
            <TextField path="evaluationPlan.folds" label="Folds" hint="integer 2–20" value={folds} onChange={(v) => (setFolds(v), edited())} problems={shown} />
          )}
          <label className="flex items-center gap-2 pt-5 text-sm">
            <input
              type="checkbox"
              checked={stratify}
              onChange={(event) => (setStratify(event.target.checked), edited())}
              className="h-4 w-4 rounded border-slate-300"
            />
            Stratified (keep class shares; classification only)
          </label>
          <TextField
            path="seed"
            label="Seed"
            hint="integer 0–4294967295; same seed + data + backend ⇒ same model"
            value={seed}
            onChange={(v) => (setSeed(v), edited())}
            problems={shown}
          />
        </div>
      </FormSection>

      <FormSection title="Tracking and registry">
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <TextField
            path="name"
            label="Run name"
            hint="optional; “<algorithm> on <dataset>” when empty"
            value={name}
            onChange={(v) => (setName(v), edited())}
            problems={shown}
          />
          <TextField
            path="experiment"
            label="Experiment"
            hint="optional; “training” when empty"
            value={experiment}
            onChange={(v) => (setExperiment(v), edited())}
            problems={shown}
          />
          <TextField
            path="registerAs.model"
            label="Register as model"
            hint="optional; registers the model when the job succeeds"
            value={registerModel}
            onChange={(v) => (setRegisterModel(v), edited())}
            problems={shown}
          />
          <TextField
            path="registerAs.alias"
            label="and move alias"
            hint="optional, e.g. challenger"
            value={registerAlias}
            onChange={(v) => (setRegisterAlias(v), edited())}
            problems={shown}
          />
        </div>
      </FormSection>

      <FormSummary
        id="form-summary"
        testId="new-job-message"
        refusal={refusal}
        attempted={attempted}
        problems={problems}
        unplaced={unplaced}
        submitting={submitting}
        disabled={datasets.length === 0}
        submitLabel="Start training"
      />
    </form>
  );
}
