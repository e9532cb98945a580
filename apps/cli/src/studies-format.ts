import type { TuningStudyDetail, TuningStudyView } from '@slipway/contracts';
import { formatNumber, formatTable, formatTime } from './table';

/** Trials that have ended, whatever the outcome: what the budget has spent. */
export const trialsDone = (study: TuningStudyView) => study.counts.completed + study.counts.pruned + study.counts.failed;

export function bestText(study: TuningStudyView): string {
  return study.best ? `best ${study.objective.metric} ${formatNumber(study.best.value)} (#${study.best.number})` : `no ${study.objective.metric} yet`;
}

/** One `--wait` progress line: `trials 12/60 done, best f1_macro 0.9567 (#7)`, with what is in flight and what went wrong. */
export function progressLine(study: TuningStudyView): string {
  const { running, queued, failed, pruned } = study.counts;
  const extra = [
    running + queued > 0 ? `${running + queued} running` : null,
    pruned > 0 ? `${pruned} pruned` : null,
    failed > 0 ? `${failed} failed` : null,
  ].filter(Boolean);
  const status = study.status === 'RUNNING' ? '' : ` [${study.status}]`;
  return `trials ${trialsDone(study)}/${study.maxTrials} done${extra.length ? ` (${extra.join(', ')})` : ''}, ${bestText(study)}${status}`;
}

const paramsText = (params: Record<string, unknown>) =>
  Object.entries(params)
    .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');

/** Everything `studies show` prints for people: the study, its best trial, importance, and every trial. */
export function studyDetails(study: TuningStudyDetail): string {
  const plan = study.evaluationPlan.kind === 'kfold' ? `${study.evaluationPlan.folds}-fold CV` : `hold-out ${formatNumber(study.evaluationPlan.testFraction)}`;
  const stopping = study.earlyStopping ? `, ${study.earlyStopping.rule} pruning` : '';
  const lines = [
    `study ${study.id} "${study.name}": ${study.status}`,
    `${study.algorithm} (${study.task}) on ${study.dataset ? study.dataset.name : 'a deleted dataset'}; ${study.strategy} search, ${plan}${stopping}; ${study.objective.direction} ${study.objective.metric}`,
    `trials: ${trialsDone(study)}/${study.maxTrials} done (${study.counts.completed} completed, ${study.counts.pruned} pruned, ${study.counts.failed} failed, ${study.counts.running + study.counts.queued} running); parallelism ${study.parallelism}; seed ${study.seed}`,
    `created ${formatTime(study.createdAt)}${study.createdBy ? ` by ${study.createdBy}` : ''}; started ${formatTime(study.startedAt)}; finished ${formatTime(study.finishedAt)}`,
  ];
  if (study.best) lines.push(`${bestText(study)}: ${paramsText(study.best.params)}${study.best.runId ? ` (run ${study.best.runId})` : ''}`);
  if (study.error) lines.push(`${study.status === 'FAILED' ? 'error' : 'note'}: ${study.error}`);
  if (study.registeredVersion) lines.push(`registered: ${study.registeredVersion.model} v${study.registeredVersion.version}`);
  else if (study.registerBest)
    lines.push(`registers the best as: ${study.registerBest.model}${study.registerBest.alias ? `@${study.registerBest.alias}` : ''}`);
  if (study.importance.length > 0)
    lines.push(`importance: ${study.importance.map((p) => `${p.param} ${formatNumber(Math.round(p.importance * 1000) / 1000)}`).join(', ')}`);
  if (study.trials.length > 0)
    lines.push(
      '',
      formatTable(
        ['#', 'STATE', 'VALUE', 'PARAMS', 'NOTE'],
        study.trials.map((t) => [
          t.number,
          t.status,
          formatNumber(t.value),
          paramsText(t.params),
          t.status === 'PRUNED' && t.prunedAtStep !== null ? `step ${t.prunedAtStep}: ${t.error ?? ''}` : t.error,
        ]),
      ).trimEnd(),
    );
  return lines.join('\n');
}
