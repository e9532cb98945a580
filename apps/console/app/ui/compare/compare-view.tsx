import type { CompareResult } from '@slipway/contracts';
import { downsample } from '../../lib/chart-data';
import { parseEvaluation, rocCurves } from '../../lib/registry-view';
import { CompareCharts, type RocSeries } from './compare-charts';
import { CompareItemsTable } from './compare-items-table';
import { ConfusionMatrices } from './confusion-matrices';
import { MetricTable } from './metric-table';
import { ParamDiffTable } from './param-diff-table';

const MAX_ROC_POINTS = 400;

function Section({ id, title, description, children }: { id: string; title: string; description?: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} data-testid={`compare-${id}`}>
      <h2 id={`${id}-heading`} className="text-lg font-semibold text-slate-900">
        {title}
      </h2>
      {description ? <p className="mb-3 text-sm text-slate-600">{description}</p> : <div className="mb-3" />}
      {children}
    </section>
  );
}

/** Everything one `POST /registry/compare` answers, laid out side by side; every array is aligned with `items`. */
export function CompareView({ result }: { result: CompareResult }) {
  const labels = result.items.map((item) => item.label);
  const evaluations = result.evaluations.map(parseEvaluation);
  const rocs: RocSeries[] = evaluations.map((evaluation, index) => ({
    item: index,
    curves: rocCurves(evaluation).map((curve) => ({
      label: curve.label,
      auc: curve.auc,
      points: downsample(
        curve.x.map((x, i) => ({ x, y: curve.y[i] })),
        MAX_ROC_POINTS,
      ),
    })),
  }));
  const differing = result.params.filter((p) => p.differs).length;

  return (
    <div className="space-y-10">
      <Section id="items" title="Versions and lineage" description="Where each version came from: its run, dataset and code.">
        <CompareItemsTable items={result.items} />
      </Section>

      <Section id="params" title="Parameters" description={`${differing} of ${result.params.length} parameters differ; differing rows are marked.`}>
        <ParamDiffTable labels={labels} params={result.params} />
      </Section>

      <Section id="metrics" title="Metrics" description="The best value of each metric is highlighted (lowest for losses and errors, highest otherwise).">
        <MetricTable labels={labels} metrics={result.metrics} />
      </Section>

      <CompareCharts labels={labels} histories={result.histories} rocs={rocs} />

      <Section id="confusion" title="Confusion matrices" description="Rows are the actual class, columns the predicted one.">
        <ConfusionMatrices labels={labels} matrices={evaluations.map((e) => e?.confusionMatrix ?? null)} />
      </Section>
    </div>
  );
}
