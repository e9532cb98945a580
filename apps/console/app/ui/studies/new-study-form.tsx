'use client';

import {
  createStudyRequestSchema,
  metricDirection,
  OBJECTIVE_METRICS,
  TUNING_STRATEGIES,
  type TrainingAlgorithmList,
  type TuningStrategyName,
} from '@slipway/contracts';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { problemsByField, readDraft, type FieldProblem, type NumberSpec } from '../../lib/hyperparameter-form';
import { readSearchSpace, tunableParams, type DimensionDraft } from '../../lib/studies/search-space-draft';
import { createStudyAction } from '../../lib/studies/study-actions';
import { studyTaskOf } from '../../lib/studies/study-view';
import { fieldBorder, FieldProblemText, fieldId } from '../forms/field-problem';
import { FormSection, SelectField, TextField } from '../forms/form-fields';
import { FormSummary } from '../forms/form-summary';
import { useActionSubmit } from '../forms/use-action-submit';
import { DatasetTargetFields } from '../training/dataset-target-fields';
import type { DatasetChoice } from '../training/new-job-form';
import { SearchSpaceEditor } from './search-space-editor';

type AlgorithmInfo = TrainingAlgorithmList['algorithms'][number];
type EarlyStoppingRule = 'none' | 'median' | 'successive-halving';

const inputClass = 'mt-1 w-full rounded-md border px-2 py-1.5 text-sm';

// Bounds as the study contract's (libs/contracts/src/tuning): checked as the user types, with the contract itself last.
const int = (minimum: number, maximum: number): NumberSpec => ({ kind: 'number', integer: true, minimum, maximum });
const BOUNDS = {
  maxTrials: int(1, 5000),
  parallelism: int(1, 64),
  folds: int(2, 20),
  testFraction: { kind: 'number', integer: false, exclusiveMinimum: 0, exclusiveMaximum: 1 } as NumberSpec,
  seed: int(0, 4_294_967_295),
  startupTrials: int(0, 1000),
  warmupSteps: int(0, 100_000),
  minTrials: int(1, 10_000),
  intervalSteps: int(1, 100_000),
  minResource: int(1, 100_000),
  reductionFactor: int(2, 10),
  minEarlyStoppingRate: int(0, 100),
};

function numberField(text: string, spec: NumberSpec, path: string, problems: FieldProblem[], required = true): number | undefined {
  const read = readDraft(spec, { kind: 'text', text }, path, required);
  problems.push(...read.problems);
  return typeof read.value === 'number' ? read.value : undefined;
}

/**
 * The "New study" form. The parameters a study can search come from the JSON Schema the API serves for the chosen
 * algorithm; every field is checked as the user types (the schema's bounds, then the study contract itself), and
 * what the API still refuses (400) is shown beside the field its `field` path names.
 */
export function NewStudyForm({
  algorithms,
  datasets,
  initialDatasetId,
}: {
  algorithms: AlgorithmInfo[];
  datasets: DatasetChoice[];
  initialDatasetId?: string;
}) {
  const router = useRouter();
  const [datasetId, setDatasetId] = useState(() => datasets.find((d) => d.id === initialDatasetId)?.id ?? datasets[0]?.id ?? '');
  const dataset = datasets.find((d) => d.id === datasetId);
  const [target, setTarget] = useState<string>(() => dataset?.targetColumn ?? '');
  const [algorithm, setAlgorithm] = useState(() => (algorithms.find((a) => a.algorithm === 'cart') ?? algorithms[0])?.algorithm ?? 'cart');
  const info = algorithms.find((a) => a.algorithm === algorithm);
  const paramsByAlgorithm = useMemo(() => new Map(algorithms.map((a) => [a.algorithm, tunableParams(a.hyperparameters, a.defaults)])), [algorithms]);
  const params = paramsByAlgorithm.get(algorithm) ?? [];
  // One search space per algorithm, so switching back and forth keeps what was set up.
  const [spaces, setSpaces] = useState<Record<string, DimensionDraft[]>>({});
  const rows = spaces[algorithm] ?? [];
  const [fixed, setFixed] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [strategy, setStrategy] = useState<TuningStrategyName>('tpe');
  const [startupTrials, setStartupTrials] = useState('');
  const [constantLiar, setConstantLiar] = useState(false);
  const [chosenMetric, setChosenMetric] = useState('');
  const [directionOverride, setDirectionOverride] = useState<'maximize' | 'minimize' | null>(null);
  const [planKind, setPlanKind] = useState<'split' | 'kfold'>('kfold');
  const [folds, setFolds] = useState('5');
  const [testFraction, setTestFraction] = useState('0.2');
  const [stratify, setStratify] = useState(true);
  const [maxTrials, setMaxTrials] = useState('20');
  const [parallelism, setParallelism] = useState('2');
  const [rule, setRule] = useState<EarlyStoppingRule>('none');
  const [warmupSteps, setWarmupSteps] = useState('0');
  const [minTrials, setMinTrials] = useState('5');
  const [intervalSteps, setIntervalSteps] = useState('1');
  const [minResource, setMinResource] = useState('1');
  const [reductionFactor, setReductionFactor] = useState('3');
  const [minEarlyStoppingRate, setMinEarlyStoppingRate] = useState('0');
  const [seed, setSeed] = useState('');
  const [experiment, setExperiment] = useState('');
  const [registerModel, setRegisterModel] = useState('');
  const [registerAlias, setRegisterAlias] = useState('');

  const columns = dataset?.columns ?? [];

  const { request, problems, metrics, metric, direction } = useMemo(() => {
    const found: FieldProblem[] = [];
    const body: Record<string, unknown> = { datasetId, algorithm };
    if (name.trim() === '') found.push({ field: 'name', message: 'name the study' });
    body['name'] = name.trim();
    if (description.trim() !== '') body['description'] = description.trim();
    if (!datasetId) found.push({ field: 'datasetId', message: 'choose a dataset' });
    if (target !== '') body['targetColumn'] = target;
    else if (info?.targetRequired) found.push({ field: 'targetColumn', message: `${info.title} needs a target column` });

    let fixedValues: Record<string, never> = {};
    if (fixed.trim() !== '') {
      try {
        const parsed: unknown = JSON.parse(fixed);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          found.push({ field: 'fixedHyperparameters', message: 'must be a JSON object' });
        else fixedValues = parsed as Record<string, never>;
      } catch {
        found.push({ field: 'fixedHyperparameters', message: 'must be JSON, e.g. {"preprocessing": "standardize"}' });
      }
      body['fixedHyperparameters'] = fixedValues;
    }
    const space = readSearchSpace(rows, params);
    found.push(...space.problems);
    body['searchSpace'] = space.space;

    body['strategy'] = strategy;
    if (strategy === 'tpe') {
      const sampler: Record<string, unknown> = {};
      const startup = numberField(startupTrials, BOUNDS.startupTrials, 'sampler.startupTrials', found, false);
      if (startup !== undefined) sampler['startupTrials'] = startup;
      if (constantLiar) sampler['constantLiar'] = true;
      body['sampler'] = sampler;
    }

    const task = studyTaskOf(algorithm, fixedValues, space.space as Record<string, { type: string; choices?: never[] }>);
    const taskMetrics = OBJECTIVE_METRICS[task];
    const objectiveMetric = taskMetrics.includes(chosenMetric) ? chosenMetric : (taskMetrics[0] ?? '');
    const objectiveDirection = directionOverride ?? metricDirection(objectiveMetric);
    body['objective'] = { metric: objectiveMetric, direction: objectiveDirection };

    if (planKind === 'kfold') body['evaluationPlan'] = { kind: 'kfold', folds: numberField(folds, BOUNDS.folds, 'evaluationPlan.folds', found), stratify };
    else
      body['evaluationPlan'] = { kind: 'split', testFraction: numberField(testFraction, BOUNDS.testFraction, 'evaluationPlan.testFraction', found), stratify };
    body['maxTrials'] = numberField(maxTrials, BOUNDS.maxTrials, 'maxTrials', found);
    body['parallelism'] = numberField(parallelism, BOUNDS.parallelism, 'parallelism', found);

    if (rule === 'median')
      body['earlyStopping'] = {
        rule,
        warmupSteps: numberField(warmupSteps, BOUNDS.warmupSteps, 'earlyStopping.warmupSteps', found),
        minTrials: numberField(minTrials, BOUNDS.minTrials, 'earlyStopping.minTrials', found),
        intervalSteps: numberField(intervalSteps, BOUNDS.intervalSteps, 'earlyStopping.intervalSteps', found),
      };
    else if (rule === 'successive-halving')
      body['earlyStopping'] = {
        rule,
        minResource: numberField(minResource, BOUNDS.minResource, 'earlyStopping.minResource', found),
        reductionFactor: numberField(reductionFactor, BOUNDS.reductionFactor, 'earlyStopping.reductionFactor', found),
        minEarlyStoppingRate: numberField(minEarlyStoppingRate, BOUNDS.minEarlyStoppingRate, 'earlyStopping.minEarlyStoppingRate', found),
      };
    else body['earlyStopping'] = null;

    const seedValue = numberField(seed, BOUNDS.seed, 'seed', found, false);
    if (seedValue !== undefined) body['seed'] = seedValue;
    if (experiment.trim() !== '') body['experiment'] = experiment.trim();
    if (registerModel.trim() !== '')
      body['registerBest'] = { model: registerModel.trim(), ...(registerAlias.trim() !== '' ? { alias: registerAlias.trim() } : {}) };
    else if (registerAlias.trim() !== '') found.push({ field: 'registerBest.model', message: 'name the model the alias belongs to' });

    // The API's contract has the last word (low ≤ high, log needs low > 0, conditions, names), with the API's field paths.
    const parsed = createStudyRequestSchema.safeParse(body);
    if (!parsed.success) {
      const seen = new Set(found.map((p) => p.field));
      for (const issue of parsed.error.issues) {
        const field = issue.path.join('.');
        if (!seen.has(field)) found.push({ field, message: issue.message });
      }
    }
    return { request: body, problems: found, metrics: taskMetrics, metric: objectiveMetric, direction: objectiveDirection };
  }, [
    datasetId,
    algorithm,
    name,
    description,
    target,
    info,
    fixed,
    rows,
    params,
    strategy,
    startupTrials,
    constantLiar,
    chosenMetric,
    directionOverride,
    planKind,
    folds,
    testFraction,
    stratify,
    maxTrials,
    parallelism,
    rule,
    warmupSteps,
    minTrials,
    intervalSteps,
    minResource,
    reductionFactor,
    minEarlyStoppingRate,
    seed,
    experiment,
    registerModel,
    registerAlias,
  ]);
  const { submit, clearAnswer, serverProblems, refusal, submitting, attempted, unplaced } = useActionSubmit({
    request,
    problems,
    send: createStudyAction,
    onDone: (id) => router.push(`/studies/${id}`),
  });

  // Problems show beside their field as the user edits; before the first submit only the fields touched do.
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const visible = attempted ? problems : problems.filter((p) => [...touched].some((t) => p.field === t || p.field.startsWith(`${t}.`)));
  const shown = useMemo(() => problemsByField([...serverProblems, ...visible]), [serverProblems, visible]);
  const edited = (field: string) => {
    clearAnswer();
    if (!touched.has(field)) setTouched(new Set([...touched, field]));
  };

  function chooseDataset(id: string) {
    setDatasetId(id);
    setTarget(datasets.find((d) => d.id === id)?.targetColumn ?? '');
    edited('datasetId');
  }

  const text = (path: string, label: string, value: string, set: (v: string) => void, hint?: string) => (
    <TextField path={path} label={label} hint={hint} value={value} onChange={(v) => (set(v), edited(path))} problems={shown} />
  );
  return (
    <form onSubmit={submit} noValidate className="space-y-6" aria-describedby="study-form-summary" data-testid="new-study-form">
      <FormSection title="Study">
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          {text('name', 'Study name', name, setName, 'unique among studies, e.g. cart-depth-search')}
          {text('description', 'Description (optional)', description, setDescription)}
        </div>
      </FormSection>

      <FormSection title="Data">
        <DatasetTargetFields
          datasets={datasets}
          datasetId={datasetId}
          onDataset={chooseDataset}
          target={target}
          onTarget={(column) => (setTarget(column), edited('targetColumn'))}
          columns={columns}
          targetRequired={info?.targetRequired}
          problems={shown}
        />
      </FormSection>

      <FormSection title="Search space">
        <div className="mb-4 grid grid-cols-1 gap-4 sm:grid-cols-2">
          <SelectField
            path="algorithm"
            label="Algorithm"
            value={algorithm}
            onChange={(value) => (setAlgorithm(value as typeof algorithm), edited('algorithm'))}
          >
            {algorithms.map((a) => (
              <option key={a.algorithm} value={a.algorithm}>
                {a.title}
              </option>
            ))}
          </SelectField>
          {info ? (
            <p className="self-end text-sm text-slate-700" data-testid="algorithm-description">
              {info.description} <span className="text-xs text-slate-600">({info.tasks.join(' / ')})</span>
            </p>
          ) : null}
        </div>
        <SearchSpaceEditor
          rows={rows}
          params={params}
          problems={shown}
          onChange={(next) => {
            setSpaces({ ...spaces, [algorithm]: next });
            edited('searchSpace');
          }}
        />
        <div className="mt-4">
          <label htmlFor={fieldId('fixedHyperparameters')} className="block text-xs font-medium text-slate-700">
            Fixed hyper-parameters (optional, JSON)
          </label>
          <textarea
            id={fieldId('fixedHyperparameters')}
            value={fixed}
            rows={2}
            placeholder='{"preprocessing": "standardize"}'
            aria-invalid={shown.has('fixedHyperparameters') ? true : undefined}
            aria-describedby={`${fieldId('fixedHyperparameters')}-hint`}
            onChange={(event) => (setFixed(event.target.value), edited('fixedHyperparameters'))}
            className={`${inputClass} font-mono ${fieldBorder(shown.get('fixedHyperparameters'))}`}
          />
          <p id={`${fieldId('fixedHyperparameters')}-hint`} className="mt-0.5 text-xs text-slate-600">
            Every trial trains with these; the parameters it draws go on top. The algorithm&apos;s defaults fill in the rest.
          </p>
          <FieldProblemText path="fixedHyperparameters" problem={shown.get('fixedHyperparameters')} />
        </div>
      </FormSection>

      <FormSection title="Strategy and objective">
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <SelectField path="strategy" label="Strategy" value={strategy} onChange={(value) => (setStrategy(value as TuningStrategyName), edited('strategy'))}>
            {TUNING_STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {s === 'tpe' ? 'tpe (Bayesian, Tree-structured Parzen Estimator)' : s}
              </option>
            ))}
          </SelectField>
          {strategy === 'tpe' ? (
            <>
              {text('sampler.startupTrials', 'Startup trials', startupTrials, setStartupTrials, 'random trials before TPE models the history; 10 when empty')}
              <label className="flex items-center gap-2 pt-5 text-sm">
                <input
                  type="checkbox"
                  checked={constantLiar}
                  onChange={(event) => (setConstantLiar(event.target.checked), edited('sampler'))}
                  className="h-4 w-4 rounded border-slate-300"
                />
                Constant liar (spread parallel suggestions)
              </label>
            </>
          ) : null}
        </div>
        <div className="mt-4 grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <SelectField
            path="objective.metric"
            label="Objective metric"
            value={metric}
            problem={shown.get('objective.metric')}
            onChange={(value) => {
              setChosenMetric(value);
              // A new metric starts from its own better direction.
              setDirectionOverride(null);
              edited('objective');
            }}
            className="font-mono"
          >
            {metrics.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </SelectField>
          <fieldset>
            <legend className="text-xs font-medium text-slate-700">Direction</legend>
            <div className="mt-2 flex gap-4 text-sm">
              {(['maximize', 'minimize'] as const).map((d) => (
                <label key={d} className="flex items-center gap-1.5">
                  <input type="radio" name="direction" checked={direction === d} onChange={() => (setDirectionOverride(d), edited('objective'))} />
                  {d}
                </label>
              ))}
            </div>
            {direction !== metricDirection(metric) ? (
              <p className="mt-1 text-xs text-amber-800" data-testid="direction-warning">
                {metric} is better when it is {metricDirection(metric) === 'maximize' ? 'higher' : 'lower'}.
              </p>
            ) : null}
          </fieldset>
        </div>
      </FormSection>

      <FormSection title="Budget and evaluation">
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {text('maxTrials', 'Max trials', maxTrials, setMaxTrials, 'integer 1–5000')}
          {text('parallelism', 'Parallelism', parallelism, setParallelism, 'trials in flight at once, 1–64')}
          {text('seed', 'Seed (optional)', seed, setSeed, 'seeds the sampler; every trial trains with it (same folds)')}
        </div>
        <fieldset
          className="mt-4"
          id={fieldId('evaluationPlan')}
          tabIndex={-1}
          aria-describedby={shown.has('evaluationPlan') ? `${fieldId('evaluationPlan')}-problem` : undefined}
        >
          <legend className="text-xs font-medium text-slate-700">Evaluation plan</legend>
          <div className="mt-1 flex flex-wrap gap-4 text-sm">
            <label className="flex items-center gap-1.5">
              <input type="radio" name="plan" checked={planKind === 'kfold'} onChange={() => (setPlanKind('kfold'), edited('evaluationPlan'))} />
              k-fold cross-validation
            </label>
            <label className="flex items-center gap-1.5">
              <input type="radio" name="plan" checked={planKind === 'split'} onChange={() => (setPlanKind('split'), edited('evaluationPlan'))} />
              Hold-out split
            </label>
          </div>
          <FieldProblemText path="evaluationPlan" problem={shown.get('evaluationPlan')} />
        </fieldset>
        <div className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-3">
          {planKind === 'kfold'
            ? text('evaluationPlan.folds', 'Folds', folds, setFolds, 'integer 2–20')
            : text('evaluationPlan.testFraction', 'Test fraction', testFraction, setTestFraction, 'number > 0 and < 1')}
          <label className="flex items-center gap-2 pt-5 text-sm">
            <input
              type="checkbox"
              checked={stratify}
              onChange={(event) => (setStratify(event.target.checked), edited('evaluationPlan'))}
              className="h-4 w-4 rounded border-slate-300"
            />
            Stratified (classification only)
          </label>
        </div>
      </FormSection>

      <FormSection title="Early stopping">
        <fieldset id={fieldId('earlyStopping')} tabIndex={-1} aria-describedby={shown.has('earlyStopping') ? `${fieldId('earlyStopping')}-problem` : undefined}>
          <legend className="text-xs font-medium text-slate-700">Pruning rule</legend>
          <div className="mt-1 flex flex-wrap gap-4 text-sm">
            {(
              [
                ['none', 'None'],
                ['median', 'Median rule'],
                ['successive-halving', 'Successive halving'],
              ] as const
            ).map(([value, label]) => (
              <label key={value} className="flex items-center gap-1.5">
                <input type="radio" name="early-stopping" checked={rule === value} onChange={() => (setRule(value), edited('earlyStopping'))} />
                {label}
              </label>
            ))}
          </div>
          <FieldProblemText path="earlyStopping" problem={shown.get('earlyStopping')} />
        </fieldset>
        {rule === 'median' ? (
          <div className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-3">
            {text('earlyStopping.warmupSteps', 'Warm-up steps', warmupSteps, setWarmupSteps, 'steps a trial runs before it may be pruned')}
            {text('earlyStopping.minTrials', 'Min trials', minTrials, setMinTrials, 'completed trials before pruning starts')}
            {text('earlyStopping.intervalSteps', 'Interval steps', intervalSteps, setIntervalSteps, 'checked every this many steps')}
          </div>
        ) : rule === 'successive-halving' ? (
          <div className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-3">
            {text('earlyStopping.minResource', 'Min resource', minResource, setMinResource, 'steps in the first rung')}
            {text('earlyStopping.reductionFactor', 'Reduction factor', reductionFactor, setReductionFactor, 'integer 2–10; 1 in this many goes on')}
            {text('earlyStopping.minEarlyStoppingRate', 'Min early-stopping rate', minEarlyStoppingRate, setMinEarlyStoppingRate, 'integer 0–100')}
          </div>
        ) : (
          <p className="mt-2 text-xs text-slate-600">Every trial trains to the end.</p>
        )}
      </FormSection>

      <FormSection title="Tracking and registry">
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
          {text('experiment', 'Experiment (optional)', experiment, setExperiment, '“study/<name>” when empty')}
          {text(
            'registerBest.model',
            'Register best as model (optional)',
            registerModel,
            setRegisterModel,
            'registers the best trial when the study completes',
          )}
          {text('registerBest.alias', 'and move alias', registerAlias, setRegisterAlias, 'optional, e.g. challenger')}
        </div>
      </FormSection>

      <FormSummary
        id="study-form-summary"
        testId="new-study-message"
        refusal={refusal}
        attempted={attempted}
        problems={problems}
        unplaced={unplaced}
        submitting={submitting}
        disabled={datasets.length === 0}
        submitLabel="Start study"
      />
    </form>
  );
}
