'use client';

import type { MetricValue, TrainingEvaluation } from '@slipway/contracts';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { seriesColor } from '../../lib/chart-data';
import { formatMetric } from '../../lib/format';
import type { FoldTable } from '../../lib/training-view';
import { legendText } from '../charts/legend-text';
import { ScrollRegion } from '../common/scroll-region';
import { ConfusionHeatMapTable, MAX_CONFUSION_CLASSES } from '../charts/confusion-heat-map';

// The evaluation a training job stored, drawn from what is there: a panel whose field the evaluation does not
// carry (no curves for regression, no residuals for classification, no importance for images) is not drawn at all.

export function Panel({ id, title, description, children }: { id: string; title: string; description?: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid={`panel-${id}`}>
      <h2 id={`${id}-heading`} className="text-base font-semibold text-slate-900">
        {title}
      </h2>
      {description ? <p className="mb-3 mt-0.5 text-xs text-slate-600">{description}</p> : <div className="mb-2" />}
      {children}
    </section>
  );
}

const th = 'px-2 py-1 text-left text-xs font-semibold uppercase tracking-wide text-slate-600';

export function MetricsTable({ evaluation }: { evaluation: TrainingEvaluation }) {
  const keys = Object.keys(evaluation.metrics).sort((a, b) => (a === evaluation.primaryMetric ? -1 : b === evaluation.primaryMetric ? 1 : a.localeCompare(b)));
  const kfold = evaluation.plan === 'kfold';
  return (
    <table className="min-w-full text-sm" data-testid="evaluation-metrics">
      <caption className="sr-only">Evaluation metrics{kfold ? ': mean over the folds ± standard deviation' : ' on the test rows'}</caption>
      <thead>
        <tr>
          <th scope="col" className={th}>
            Metric
          </th>
          <th scope="col" className={`${th} text-right`}>
            {kfold ? 'Mean' : 'Value'}
          </th>
          {kfold ? (
            <th scope="col" className={`${th} text-right`}>
              ± std
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-50">
        {keys
          .map((key) => [key, evaluation.metrics[key] ?? Number.NaN, evaluation.std?.[key]] as const)
          .map(([key, value, std]) => (
            <tr key={key} data-testid="evaluation-metric" data-metric={key}>
              <th scope="row" className="px-2 py-1 text-left font-mono font-medium">
                {key}
                {key === evaluation.primaryMetric ? <span className="ml-2 rounded bg-sky-50 px-1 text-xs font-normal text-sky-800">primary</span> : null}
              </th>
              <td className="px-2 py-1 text-right font-mono tabular-nums">{formatMetric(value)}</td>
              {kfold ? <td className="px-2 py-1 text-right font-mono tabular-nums text-slate-600">{std === undefined ? '—' : formatMetric(std)}</td> : null}
            </tr>
          ))}
      </tbody>
    </table>
  );
}

/** Per-fold values, then the mean ± std row (k-fold): from the evaluation once done, from the run's fold/* metrics while running. */
export function CvTable({
  table,
  mean,
  std,
  testId = 'cv-table',
}: {
  table: FoldTable;
  mean?: Record<string, number>;
  std?: Record<string, number>;
  testId?: string;
}) {
  if (table.rows.length === 0) return <p className="text-sm text-slate-600">No fold has finished yet.</p>;
  return (
    <ScrollRegion label="Cross-validation table">
      <table className="min-w-full text-sm" data-testid={testId}>
        <caption className="sr-only">Cross-validation: each fold&apos;s metrics{mean ? ', then their mean ± standard deviation' : ''}</caption>
        <thead>
          <tr>
            <th scope="col" className={th}>
              Fold
            </th>
            {table.metrics.map((m) => (
              <th key={m} scope="col" className={`${th} text-right font-mono normal-case`}>
                {m}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-50">
          {table.rows.map((row) => (
            <tr key={row.fold} data-testid="cv-fold-row" data-fold={row.fold}>
              <th scope="row" className="px-2 py-1 text-left font-mono font-medium">
                {row.fold}
              </th>
              {table.metrics.map((m) => (
                <td key={m} className="px-2 py-1 text-right font-mono tabular-nums">
                  {row.values[m] === undefined ? '—' : formatMetric(row.values[m])}
                </td>
              ))}
            </tr>
          ))}
          {mean ? (
            <tr className="border-t-2 border-slate-200 font-semibold" data-testid="cv-mean-row">
              <th scope="row" className="px-2 py-1 text-left">
                mean ± std
              </th>
              {table.metrics.map((m) => (
                <td key={m} className="whitespace-nowrap px-2 py-1 text-right font-mono tabular-nums">
                  {mean[m] === undefined ? '—' : formatMetric(mean[m])}
                  {std?.[m] === undefined ? '' : ` ± ${formatMetric(std[m])}`}
                </td>
              ))}
            </tr>
          ) : null}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** The evaluation's folds (records in fold order) as a fold table. */
export function foldTableOf(evaluation: TrainingEvaluation): FoldTable {
  const folds = evaluation.folds ?? [];
  const metrics = [...new Set(folds.flatMap((f) => Object.keys(f)))].sort();
  return { metrics, rows: folds.map((values, index) => ({ fold: index + 1, values: values as Record<string, MetricValue> })) };
}

type Matrix = NonNullable<TrainingEvaluation['confusionMatrix']>;

export function ConfusionHeatMap({ matrix }: { matrix: Matrix }) {
  if (matrix.labels.length > MAX_CONFUSION_CLASSES)
    return <p className="text-sm text-slate-600">{matrix.labels.length} classes: too many to show as a table.</p>;
  return (
    <ScrollRegion label="Confusion matrix">
      <ConfusionHeatMapTable matrix={matrix} caption="Confusion matrix" testId="confusion-matrix" />
    </ScrollRegion>
  );
}

export function PerClassTable({ perClass }: { perClass: NonNullable<TrainingEvaluation['perClass']> }) {
  return (
    <table className="min-w-full text-sm" data-testid="per-class">
      <caption className="sr-only">Precision, recall, F1 and support per class</caption>
      <thead>
        <tr>
          {['Class', 'Precision', 'Recall', 'F1', 'Support'].map((h, i) => (
            <th key={h} scope="col" className={`${th} ${i > 0 ? 'text-right' : ''}`}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-50">
        {perClass.map((c) => (
          <tr key={c.label}>
            <th scope="row" className="px-2 py-1 text-left font-mono font-medium">
              {c.label}
            </th>
            {[c.precision, c.recall, c.f1, c.support].map((v, i) => (
              <td key={i} className="px-2 py-1 text-right font-mono tabular-nums">
                {formatMetric(v)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface CurveLine {
  name: string;
  points: { x: number; y: number }[];
}

const diagonal = [
  { x: 0, y: 0 },
  { x: 1, y: 1 },
];

/** ROC or precision-recall curves, one line per class (one-vs-rest), its AUC / AP in the legend. */
export function CurveChart({ kind, lines }: { kind: 'roc' | 'pr'; lines: CurveLine[] }) {
  const roc = kind === 'roc';
  const xLabel = roc ? 'false-positive rate' : 'recall';
  const yLabel = roc ? 'true-positive rate' : 'precision';
  return (
    <figure data-testid={`${kind}-chart`} data-lines={lines.length}>
      <div className="h-80" role="img" aria-label={`${roc ? 'ROC' : 'Precision-recall'} curves: ${lines.map((l) => l.name).join(', ')}`}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart margin={{ top: 4, right: 12, bottom: 16, left: 4 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis
              dataKey="x"
              type="number"
              domain={[0, 1]}
              tick={{ fontSize: 11 }}
              label={{ value: xLabel, position: 'insideBottom', offset: -8, fontSize: 11 }}
            />
            <YAxis
              dataKey="y"
              type="number"
              domain={[0, 1]}
              tick={{ fontSize: 11 }}
              label={{ value: yLabel, angle: -90, position: 'insideLeft', fontSize: 11 }}
            />
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? formatMetric(value) : String(value))}
              labelFormatter={(x) => `${xLabel} ${formatMetric(Number(x))}`}
            />
            {lines.length <= 12 ? <Legend verticalAlign="top" wrapperStyle={{ fontSize: 11 }} formatter={legendText} /> : null}
            {roc ? (
              <Line data={diagonal} dataKey="y" name="chance" stroke="#94a3b8" strokeDasharray="4 4" dot={false} isAnimationActive={false} legendType="none" />
            ) : null}
            {lines.map((line, index) => (
              <Line
                key={line.name}
                data={line.points}
                dataKey="y"
                name={line.name}
                stroke={seriesColor(index)}
                dot={false}
                strokeWidth={1.75}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** The contract guarantees equal lengths; a shorter y axis would only drop its missing points. */
function zipPoints(xs: readonly number[], ys: readonly number[]): { x: number; y: number }[] {
  return xs.flatMap((x, i) => (ys[i] === undefined ? [] : [{ x, y: ys[i] }]));
}

export function rocLines(curves: NonNullable<TrainingEvaluation['curves']>): CurveLine[] {
  return curves.roc.map((c) => ({ name: `${c.label} (AUC ${formatMetric(c.auc)})`, points: zipPoints(c.points.fpr, c.points.tpr) }));
}

export function prLines(curves: NonNullable<TrainingEvaluation['curves']>): CurveLine[] {
  return curves.pr.map((c) => ({
    name: `${c.label} (AP ${formatMetric(c.averagePrecision)})`,
    points: zipPoints(c.points.recall, c.points.precision),
  }));
}

/** Horizontal bars, widest first, as a table so the numbers are there for a screen reader and a test. */
export function ImportanceBars({
  rows,
  caption,
  testId,
  max = 20,
}: {
  rows: { feature: string; value: number; std?: number }[];
  caption: string;
  testId: string;
  max?: number;
}) {
  const sorted = [...rows].sort((a, b) => b.value - a.value).slice(0, max);
  const top = Math.max(...sorted.map((r) => Math.abs(r.value)), Number.MIN_VALUE);
  return (
    <>
      <table className="w-full text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className={th}>
              Feature
            </th>
            <th scope="col" className={`${th} w-1/2`}>
              <span className="sr-only">Bar</span>
            </th>
            <th scope="col" className={`${th} text-right`}>
              Importance
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={r.feature} data-testid="importance-row" data-feature={r.feature}>
              <th scope="row" className="max-w-48 truncate px-2 py-0.5 text-left font-mono text-xs font-medium" title={r.feature}>
                {r.feature}
              </th>
              <td className="px-2 py-0.5">
                <div className="h-3 rounded-sm bg-sky-600" style={{ width: `${Math.max(0, (r.value / top) * 100).toFixed(1)}%` }} aria-hidden="true" />
              </td>
              <td className="whitespace-nowrap px-2 py-0.5 text-right font-mono text-xs tabular-nums">
                {formatMetric(r.value)}
                {r.std === undefined ? '' : ` ± ${formatMetric(r.std)}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > sorted.length ? (
        <p className="mt-1 text-xs text-slate-600">
          The {sorted.length} most important of {rows.length} features.
        </p>
      ) : null}
    </>
  );
}

export function ResidualsSummary({ residuals }: { residuals: NonNullable<TrainingEvaluation['residuals']> }) {
  const { edges } = residuals.histogram;
  const bins = residuals.histogram.counts.map((count, i) => {
    const low = edges[i] ?? Number.NaN;
    const high = edges[i + 1] ?? Number.NaN;
    return { bin: formatMetric((low + high) / 2), count, range: `${formatMetric(low)} to ${formatMetric(high)}` };
  });
  const stats: [string, number][] = [
    ['rows', residuals.count],
    ['mean', residuals.mean],
    ['std', residuals.std],
    ['min', residuals.min],
    ['p5', residuals.quantiles.p5],
    ['p25', residuals.quantiles.p25],
    ['median', residuals.quantiles.p50],
    ['p75', residuals.quantiles.p75],
    ['p95', residuals.quantiles.p95],
    ['max', residuals.max],
    ['max |r|', residuals.maxAbs],
  ];
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm" data-testid="residual-stats">
        {stats.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-xs text-slate-600">{label}</dt>
            <dd className="text-right font-mono tabular-nums">{formatMetric(value)}</dd>
          </div>
        ))}
      </dl>
      <figure className="lg:col-span-2" data-testid="residual-histogram">
        <div className="h-56" role="img" aria-label={`Histogram of the residuals (actual minus predicted) in ${bins.length} bins`}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={bins} margin={{ top: 4, right: 12, bottom: 16, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis
                dataKey="bin"
                tick={{ fontSize: 10 }}
                label={{ value: 'residual (actual − predicted)', position: 'insideBottom', offset: -8, fontSize: 11 }}
              />
              <YAxis tick={{ fontSize: 11 }} allowDecimals={false} width={48} />
              <Tooltip formatter={(value) => String(value)} labelFormatter={(_, payload) => String(payload?.[0]?.payload?.range ?? '')} />
              <Bar dataKey="count" name="rows" fill="#2563eb" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </figure>
    </div>
  );
}

/** Every panel the stored evaluation has data for, in reading order. */
export function EvaluationPanels({ evaluation }: { evaluation: TrainingEvaluation }) {
  const importance = evaluation.featureImportance;
  const curves = evaluation.curves;
  return (
    <div className="space-y-4" data-testid="evaluation" data-task={evaluation.task} data-plan={evaluation.plan}>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Panel
          id="metrics"
          title="Metrics"
          description={`${evaluation.task}, ${evaluation.plan === 'kfold' ? `mean of ${evaluation.folds?.length ?? 'the'} folds` : 'hold-out test rows'}: ${evaluation.rows.train} training rows, ${evaluation.rows.test} test rows.`}
        >
          <MetricsTable evaluation={evaluation} />
        </Panel>
        {evaluation.confusionMatrix ? (
          <Panel
            id="confusion"
            title="Confusion matrix"
            description={evaluation.plan === 'kfold' ? 'Summed over every fold’s test rows.' : 'On the test rows.'}
          >
            <ConfusionHeatMap matrix={evaluation.confusionMatrix} />
          </Panel>
        ) : null}
      </div>
      {evaluation.plan === 'kfold' && evaluation.folds ? (
        <Panel id="cv" title="Cross-validation" description="Each fold’s test metrics; the model returned is fitted on every row afterwards.">
          <CvTable table={foldTableOf(evaluation)} mean={evaluation.metrics} std={evaluation.std} />
        </Panel>
      ) : null}
      {curves && (curves.roc.length > 0 || curves.pr.length > 0) ? (
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
          {curves.roc.length > 0 ? (
            <Panel id="roc" title="ROC curves" description="One class against the rest, from the predicted probabilities.">
              <CurveChart kind="roc" lines={rocLines(curves)} />
            </Panel>
          ) : null}
          {curves.pr.length > 0 ? (
            <Panel id="pr" title="Precision-recall curves" description="One class against the rest; AP is the average precision.">
              <CurveChart kind="pr" lines={prLines(curves)} />
            </Panel>
          ) : null}
        </div>
      ) : null}
      {evaluation.perClass && evaluation.perClass.length > 0 ? (
        <Panel id="per-class" title="Per class">
          <PerClassTable perClass={evaluation.perClass} />
        </Panel>
      ) : null}
      {importance && (importance.impurity || importance.permutation) ? (
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
          {importance.impurity ? (
            <Panel id="importance-impurity" title="Feature importance (impurity)" description="Mean decrease in impurity of the returned tree, summing to 1.">
              <ImportanceBars
                rows={importance.impurity.map((r) => ({ feature: r.feature, value: r.importance }))}
                caption="Impurity-based feature importance"
                testId="importance-impurity"
              />
            </Panel>
          ) : null}
          {importance.permutation ? (
            <Panel
              id="importance-permutation"
              title="Feature importance (permutation)"
              description={`Drop in ${importance.permutation.metric} (baseline ${formatMetric(importance.permutation.baseline)}) when a feature is shuffled, over ${importance.permutation.repeats} shuffles of ${importance.permutation.rows} test rows.`}
            >
              <ImportanceBars
                rows={importance.permutation.features.map((r) => ({ feature: r.feature, value: r.mean, std: r.std }))}
                caption="Permutation feature importance"
                testId="importance-permutation"
              />
            </Panel>
          ) : null}
        </div>
      ) : null}
      {evaluation.residuals ? (
        <Panel id="residuals" title="Residuals" description="Actual minus predicted on the test rows.">
          <ResidualsSummary residuals={evaluation.residuals} />
        </Panel>
      ) : null}
    </div>
  );
}
