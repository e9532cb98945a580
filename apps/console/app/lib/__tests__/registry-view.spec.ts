import type { VersionView } from '@slipway/contracts';
import { describe, expect, it } from '@jest/globals';
import { chosenMetricColumns, compareHref, metricKeysOf, parseEvaluation, parseVersionRefs, rocCurves, versionMetrics } from '../registry-view';

function version(overrides: Partial<VersionView>): VersionView {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    model: 'fraud',
    version: 1,
    status: 'READY',
    description: '',
    tags: {},
    aliases: [],
    sha256: null,
    signature: null,
    signatureKeyId: null,
    sizeBytes: null,
    files: null,
    artifactUri: null,
    algorithm: null,
    framework: null,
    inputSchema: null,
    trainingProfile: null,
    evaluation: null,
    runId: null,
    lineage: null,
    createdBy: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    readyAt: null,
    archivedAt: null,
    ...overrides,
  };
}

describe('compare links', () => {
  it('round-trip name:version refs through ?v=', () => {
    const href = compareHref([
      { model: 'fraud.v2', version: 3 },
      { model: 'fraud.v2', version: 5 },
    ]);
    expect(href).toBe('/compare?v=fraud.v2%3A3&v=fraud.v2%3A5');
    const values = new URLSearchParams(href.split('?')[1]).getAll('v');
    expect(parseVersionRefs(values)).toEqual({
      refs: [
        { model: 'fraud.v2', version: 3 },
        { model: 'fraud.v2', version: 5 },
      ],
      invalid: [],
    });
  });

  it('keeps the first of repeated refs and reports what is not a ref', () => {
    expect(parseVersionRefs(['a:1', 'a:1', 'a:x', ':2', 'a', 'bad name:3', 'a:0', 'b:2'])).toEqual({
      refs: [
        { model: 'a', version: 1 },
        { model: 'b', version: 2 },
      ],
      invalid: ['a:x', ':2', 'a', 'bad name:3', 'a:0'],
    });
    expect(parseVersionRefs(undefined)).toEqual({ refs: [], invalid: [] });
    expect(parseVersionRefs('m:7').refs).toEqual([{ model: 'm', version: 7 }]);
  });
});

describe('version metrics', () => {
  const lineage = {
    runId: '00000000-0000-4000-8000-000000000002',
    runName: 'r',
    experimentId: '00000000-0000-4000-8000-000000000003',
    runStatus: 'FINISHED',
    runDeleted: false,
    datasetId: null,
    datasetSha256: null,
    codeVersion: null,
    seed: null,
    params: {},
    metrics: { f1: 0.8, loss: 0.3 },
  };

  it("take the run's final metrics, overridden by the stored evaluation's", () => {
    const v = version({ lineage, evaluation: { metrics: { f1: 0.85, auc: 0.9 } } });
    expect(versionMetrics(v)).toEqual({ f1: 0.85, loss: 0.3, auc: 0.9 });
    expect(metricKeysOf([v, version({ evaluation: { metrics: { accuracy: 1 } } })])).toEqual(['accuracy', 'auc', 'f1', 'loss']);
  });

  it('ignore an evaluation that does not match the contract', () => {
    expect(parseEvaluation({ metrics: { f1: 'high' } })).toBeNull();
    expect(versionMetrics(version({ lineage, evaluation: { surprise: true } }))).toEqual({ f1: 0.8, loss: 0.3 });
  });

  it('read ROC as a list whether one curve or one per class was stored', () => {
    const curve = { x: [0, 1], y: [0, 1] };
    expect(rocCurves(parseEvaluation({ roc: curve }))).toEqual([curve]);
    expect(rocCurves(parseEvaluation({ roc: [curve, { ...curve, label: 'b' }] }))).toHaveLength(2);
    expect(rocCurves(null)).toEqual([]);
  });
});

describe('metric columns', () => {
  const available = ['accuracy', 'auc', 'f1', 'loss'];
  it('default to the first few keys without ?metrics=', () => {
    expect(chosenMetricColumns(undefined, available)).toEqual(['accuracy', 'auc', 'f1']);
  });
  it('follow ?metrics= in its order, dropping unknown and repeated keys; empty means none', () => {
    expect(chosenMetricColumns('loss,nope,f1,loss', available)).toEqual(['loss', 'f1']);
    expect(chosenMetricColumns('', available)).toEqual([]);
  });
});
