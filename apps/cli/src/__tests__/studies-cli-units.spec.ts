import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { createStudyRequestSchema, tuningStudyDetailSchema, type TuningStudyDetail } from '@slipway/contracts';
import { findWorkspaceRoot } from '@slipway/config';
import { progressLine, studyDetails } from '../studies-format';
import { readStudyFile } from '../studies-file';

const ID = '6f1c1c9e-1a7e-4f43-9d56-2f3f0e1c1a01';
const at = '2026-12-01T10:00:00.000Z';
const dir = mkdtempSync(join(tmpdir(), 'slipway-studies-units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function study(overrides: Partial<TuningStudyDetail> = {}): TuningStudyDetail {
  return tuningStudyDetailSchema.parse({
    id: ID,
    name: 'breast-cancer-cart',
    description: null,
    status: 'RUNNING',
    algorithm: 'cart',
    task: 'classification',
    dataset: { id: ID, name: 'breast_cancer' },
    targetColumn: 'label',
    featureColumns: null,
    fixedHyperparameters: {},
    searchSpace: { maxDepth: { type: 'int', low: 2, high: 12, log: false } },
    strategy: 'tpe',
    sampler: {},
    objective: { metric: 'f1_macro', direction: 'maximize' },
    evaluationPlan: { kind: 'kfold', folds: 5, stratify: true },
    maxTrials: 60,
    parallelism: 2,
    earlyStopping: { rule: 'median', warmupSteps: 1, minTrials: 5, intervalSteps: 1 },
    seed: 42,
    maxFailedTrials: 5,
    trialMaxAttempts: 2,
    registerBest: null,
    experimentId: null,
    registeredVersion: null,
    counts: { queued: 0, running: 2, completed: 10, pruned: 1, failed: 1, total: 14 },
    best: { trialId: ID, number: 7, value: 0.956712345, params: { maxDepth: 4, criterion: 'gini' }, runId: null },
    error: null,
    stopRequestedAt: null,
    stopRequestedBy: null,
    createdBy: 'ana',
    createdAt: at,
    startedAt: at,
    finishedAt: null,
    trials: [],
    importance: [],
    ...overrides,
  });
}
const trial = (number: number, status: 'COMPLETED' | 'PRUNED' | 'FAILED', value: number | null, extra: Record<string, unknown> = {}) => ({
  id: ID,
  number,
  status,
  params: { maxDepth: number + 2, criterion: 'gini' },
  value,
  intermediateValues: [],
  prunedAtStep: null,
  error: null,
  trainingJobId: null,
  runId: null,
  attempts: 1,
  createdAt: at,
  startedAt: at,
  finishedAt: at,
  ...extra,
});

describe('studies --wait progress and show', () => {
  it('says trials done of the budget, what is in flight, pruned and failed, and the best value with its trial number', () => {
    expect(progressLine(study())).toBe('trials 12/60 done (2 running, 1 pruned, 1 failed), best f1_macro 0.9567 (#7)');
    expect(progressLine(study({ counts: { queued: 0, running: 0, completed: 0, pruned: 0, failed: 0, total: 0 }, best: null }))).toBe(
      'trials 0/60 done, no f1_macro yet',
    );
    expect(progressLine(study({ status: 'COMPLETED', counts: { queued: 0, running: 0, completed: 60, pruned: 0, failed: 0, total: 60 } }))).toBe(
      'trials 60/60 done, best f1_macro 0.9567 (#7) [COMPLETED]',
    );
  });

  it('shows the study, its best trial and importance, then one row per trial: number, state, value, params, why pruned or failed', () => {
    const text = studyDetails(
      study({
        importance: [
          { param: 'maxDepth', importance: 0.8123 },
          { param: 'criterion', importance: 0.1877 },
        ],
        trials: [
          trial(0, 'COMPLETED', 0.94),
          trial(1, 'PRUNED', 0.81, { prunedAtStep: 2, error: 'below the median 0.9 at step 2' }),
          trial(2, 'FAILED', null, { error: 'worker died' }),
        ],
      }),
    );
    expect(text).toContain(`study ${ID} "breast-cancer-cart": RUNNING`);
    expect(text).toContain('cart (classification) on breast_cancer; tpe search, 5-fold CV, median pruning; maximize f1_macro');
    expect(text).toContain('best f1_macro 0.9567 (#7): maxDepth=4 criterion=gini');
    expect(text).toContain('importance: maxDepth 0.812, criterion 0.188');
    expect(text).toMatch(/#\s+STATE\s+VALUE\s+PARAMS\s+NOTE\n0\s+COMPLETED\s+0\.94\s+maxDepth=2 criterion=gini\s+-\n/);
    expect(text).toMatch(/1\s+PRUNED\s+0\.81\s+maxDepth=3 criterion=gini\s+step 2: below the median 0\.9 at step 2\n/);
    expect(text).toMatch(/2\s+FAILED\s+-\s+maxDepth=4 criterion=gini\s+worker died$/);
  });
});

describe('studies create -f', () => {
  it('reads the journey-3 example as a request the contract accepts once the dataset is resolved', async () => {
    const spec = await readStudyFile(join(findWorkspaceRoot(__dirname), 'examples/studies/breast-cancer-cart.yaml'));
    const { dataset, ...fields } = spec;
    expect(dataset).toBe('breast_cancer');
    const request = createStudyRequestSchema.parse({ ...fields, datasetId: ID });
    expect(request).toMatchObject({
      algorithm: 'cart',
      strategy: 'tpe',
      maxTrials: 60,
      parallelism: 2,
      objective: { metric: 'f1_macro', direction: 'maximize' },
      evaluationPlan: { kind: 'kfold', folds: 5, stratify: true },
      earlyStopping: { rule: 'median' },
    });
    expect(request.searchSpace).toEqual({
      maxDepth: { type: 'int', low: 2, high: 12, log: false },
      minSamplesLeaf: { type: 'int', low: 1, high: 20, log: false },
      criterion: { type: 'categorical', choices: ['gini', 'entropy'] },
    });
  });

  it('says which file is missing, not YAML or JSON, or not an object', async () => {
    const write = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    await expect(readStudyFile(join(dir, 'none.yaml'))).rejects.toThrow(/none\.yaml: no such file/);
    await expect(readStudyFile(write('bad.yml', 'a: [1\n'))).rejects.toThrow(/bad\.yml: not valid YAML/);
    await expect(readStudyFile(write('bad.json', '{"a": '))).rejects.toThrow(/bad\.json: not valid JSON/);
    await expect(readStudyFile(write('list.yaml', '- 1\n- 2\n'))).rejects.toThrow(/expected an object/);
    await expect(readStudyFile(write('ok.json', '{"name": "x"}'))).resolves.toEqual({ name: 'x' });
  });
});
