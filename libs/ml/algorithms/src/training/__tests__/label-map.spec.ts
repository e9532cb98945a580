import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { trainingEvaluationSchema, versionEvaluationOf, type TrainingSpecInput } from '@slipway/contracts';
import { loadBuiltinDataset, selectRows, type TabularDataset } from '@slipway/ml-datasets';
import { selectBackend } from '@slipway/ml-runtime';
import { MlInputError, MlInputErrorCode } from '../../common';
import { encodeClassLabels, LABEL_MAP_FILE, loadModel, train, type ClassLabel, type TrainedModel, type TrainingData } from '..';

const rowsOf = (dataset: TabularDataset) => ({ data: dataset.features, nRows: dataset.nRows, nFeatures: dataset.nFeatures });

const withTarget = (dataset: TabularDataset, target: readonly (ClassLabel | null)[] | ArrayLike<number>): TrainingData => ({
  kind: 'tabular',
  features: rowsOf(dataset),
  target,
  targetName: dataset.targetName,
  featureNames: dataset.featureNames,
});

/** Storage hands serving copies of the bytes, not the buffers save() made. */
const stored = (files: Record<string, Uint8Array>) => Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, Uint8Array.from(bytes)]));

async function thrown(promise: Promise<unknown>): Promise<MlInputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MlInputError);
  return error as MlInputError;
}

// No stratification: a stratified split groups rows by class id, and relabelling permutes the ids.
const cartSpec: TrainingSpecInput = { algorithm: 'cart', evaluationPlan: { kind: 'split', testFraction: 0.3, stratify: false }, seed: 5 };

describe('class labels: encoded once, kept in the artifact, given back by predict', () => {
  const iris = loadBuiltinDataset('iris');
  const species = ['setosa', 'versicolor', 'virginica'];
  const irisNames = Array.from(iris.targets, (c) => species[c]);

  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });

  it('orders labels by a fixed rule: numbers ascending, strings by code unit, false before true', () => {
    expect(encodeClassLabels(['b', 'a', 'B', 'é', 'a'], 5, { argument: 'y' })).toEqual({
      codes: Float64Array.from([2, 1, 0, 3, 1]),
      labels: ['B', 'a', 'b', 'é'],
    });
    expect(encodeClassLabels([10, -1, 2.5, 10, -0], 5, { argument: 'y' })).toEqual({ codes: Float64Array.from([3, 0, 2, 3, 1]), labels: [-1, 0, 2.5, 10] });
    expect(encodeClassLabels([true, false, true], 3, { argument: 'y' }).labels).toEqual([false, true]);
    // Integer ids 0..k-1 encode to themselves, so numeric targets train exactly as before.
    expect(encodeClassLabels(iris.targets, iris.nRows, { argument: 'y' }).codes).toEqual(iris.targets);
  });

  it('property: relabelling the classes by any bijection to strings gives the same predictions, mapped through it', async () => {
    const reference = await train(cartSpec, withTarget(iris, iris.targets));
    const ids = reference.model.predict(rowsOf(iris)) as ClassLabel[];
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }).filter((s) => s.trim() !== ''),
          { minLength: 3, maxLength: 3 },
        ),
        async (names) => {
          const { model, evaluation } = await train(
            cartSpec,
            withTarget(
              iris,
              Array.from(iris.targets, (c) => names[c]),
            ),
          );
          expect(model.predict(rowsOf(iris))).toEqual(ids.map((c) => names[c as number]));
          expect(evaluation.metrics).toEqual(reference.evaluation.metrics);
          expect(trainingEvaluationSchema.parse(evaluation)).toEqual(evaluation);
          expect(model.classLabels).toEqual([...names].sort());
          // The confusion matrix is the reference's, rows and columns reordered into the sorted label order.
          const order = [...names].sort().map((name) => names.indexOf(name));
          expect(evaluation.confusionMatrix).toEqual({
            labels: [...names].sort(),
            matrix: order.map((i) => order.map((j) => reference.evaluation.confusionMatrix?.matrix[i][j])),
          });
        },
      ),
      { numRuns: 25, seed: 11 },
    );
  });

  it('round-trips: save → loadModel → predict gives the strings; probabilities are ordered by the label map', async () => {
    const { model, evaluation } = await train({ algorithm: 'cart', hyperparameters: { maxDepth: 3 }, seed: 2 }, withTarget(iris, irisNames));
    expect(trainingEvaluationSchema.parse(evaluation).confusionMatrix?.labels).toEqual(species);
    // Per-class scores name their class, and agree with the confusion matrix they come from.
    expect(evaluation.perClass?.map((c) => c.label)).toEqual(species);
    evaluation.perClass?.forEach((c, i) => expect(c.support).toBe(evaluation.confusionMatrix?.matrix[i].reduce((a, b) => a + b, 0)));
    expect(versionEvaluationOf(evaluation).extra?.['perClass']).toEqual(evaluation.perClass);
    const artifact = await model.save();
    expect(artifact.formatVersion).toBe(2);
    expect(JSON.parse(new TextDecoder().decode(artifact.files[LABEL_MAP_FILE]))).toEqual({ format: 'slipway.labels', version: 1, labels: species });
    const loaded = await loadModel({ format: artifact.format, formatVersion: artifact.formatVersion, files: stored(artifact.files) });
    const predictions = loaded.predict(rowsOf(iris));
    expect(predictions).toEqual(model.predict(rowsOf(iris)));
    expect(new Set(predictions)).toEqual(new Set(species));
    expect((predictions as ClassLabel[]).filter((p, i) => p === irisNames[i]).length / iris.nRows).toBeGreaterThan(0.9);
    const proba = loaded.predictProba?.(rowsOf(iris));
    expect(proba?.labels).toEqual(species);
    expect(proba?.probabilities.nFeatures).toBe(3);
    const first = Array.from(proba?.probabilities.data.subarray(0, 3) ?? []);
    expect(species[first.indexOf(Math.max(...first))]).toBe(predictions[0]);
  });

  it('same seed + same labelled data ⇒ byte-identical artifacts', async () => {
    const save = async () =>
      (await (await train({ algorithm: 'cart', evaluationPlan: { kind: 'kfold', folds: 3 }, seed: 9 }, withTarget(iris, irisNames))).model).save();
    const [a, b] = [await save(), await save()];
    expect(Object.keys(a.files)).toEqual(Object.keys(b.files));
    for (const name of Object.keys(a.files)) expect(Buffer.from(a.files[name]).equals(Buffer.from(b.files[name]))).toBe(true);
  });

  it('booleans and sparse numeric labels come back as themselves', async () => {
    const cancer = loadBuiltinDataset('breast_cancer');
    const malignant = Array.from(cancer.targets, (c) => c === 0);
    const bools = (await train({ algorithm: 'cart', hyperparameters: { maxDepth: 3 }, seed: 1 }, withTarget(cancer, malignant))).model;
    const back = await loadModel({ files: stored((await bools.save()).files) });
    expect(new Set(back.predict(rowsOf(cancer)))).toEqual(new Set([false, true]));
    expect(back.classLabels).toEqual([false, true]);

    const sparse = Array.from(iris.targets, (c) => [40, -3, 7.5][c]);
    const { model, evaluation } = await train({ algorithm: 'cart', seed: 1 }, withTarget(iris, sparse));
    expect(model.classLabels).toEqual([-3, 7.5, 40]);
    expect(new Set(model.predict(rowsOf(iris)))).toEqual(new Set([-3, 7.5, 40]));
    expect(evaluation.confusionMatrix?.labels).toEqual(['-3', '7.5', '40']);
  });

  it('a version 1 artifact (no label map) still loads and predicts class ids', async () => {
    const artifact = await (await train({ algorithm: 'cart', seed: 3 }, withTarget(iris, iris.targets))).model.save();
    const v1 = Object.fromEntries(Object.entries(stored(artifact.files)).filter(([name]) => name !== LABEL_MAP_FILE));
    const loaded = await loadModel({ format: 'slipway.model', formatVersion: 1, algorithm: 'cart', files: v1 });
    expect(loaded.classLabels).toBeNull();
    const predictions = loaded.predict(rowsOf(iris)) as ClassLabel[];
    expect(predictions).toEqual(Array.from(loaded.predictCodes(rowsOf(iris))));
    expect(new Set(predictions)).toEqual(new Set([0, 1, 2]));
    expect(loaded.predictProba?.(rowsOf(iris)).labels).toEqual([0, 1, 2]);
    const future = await thrown(loadModel({ formatVersion: 3, files: v1 }));
    expect(future.argument).toBe('artifact.formatVersion');
  });

  it('k-means ignores labels except as the ARI reference: string labels give the same ARI', async () => {
    const spec = { algorithm: 'kmeans' as const, hyperparameters: { k: 3, nInit: 2 }, seed: 4 };
    const numeric = await train(spec, withTarget(iris, iris.targets));
    const named = await train(spec, withTarget(iris, irisNames));
    expect(named.evaluation.metrics).toEqual(numeric.evaluation.metrics);
    expect(named.model.classLabels).toBeNull();
    expect((await named.model.save()).files[LABEL_MAP_FILE]).toBeUndefined();
  });

  it('the CNN takes string labels and predicts them, before and after save → load', async () => {
    const digits = selectRows(
      loadBuiltinDataset('digits'),
      Array.from({ length: 60 }, (_, i) => i * 20),
    );
    const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    const images = { data: digits.features, count: digits.nRows, height: 8, width: 8, channels: 1 };
    const { model, evaluation } = await train(
      {
        algorithm: 'cnn',
        hyperparameters: { filters: [4, 4, 4], denseUnits: 8, epochs: 1, batchSize: 16, earlyStopping: null, validationSplit: 0 },
        evaluationPlan: { kind: 'split', testFraction: 0.25, stratify: false },
        seed: 3,
      },
      { kind: 'images', images, labels: Array.from(digits.targets, (c) => words[c]) },
    );
    let loaded: TrainedModel | undefined;
    try {
      expect(evaluation.confusionMatrix?.labels).toEqual([...words].sort());
      const predictions = model.predict(images) as ClassLabel[];
      expect(predictions.every((p) => words.includes(p as string))).toBe(true);
      loaded = await loadModel({ files: stored((await model.save()).files) });
      expect(loaded.predict(images)).toEqual(predictions);
      expect(loaded.predictProba?.(images).labels).toEqual([...words].sort());
    } finally {
      model.dispose();
      loaded?.dispose();
    }
  });

  it('typed errors: one class, a missing label, mixed kinds, legacy names over strings, a string regression target', async () => {
    const one = await thrown(
      train(
        cartSpec,
        withTarget(
          iris,
          irisNames.map(() => 'setosa'),
        ),
      ),
    );
    expect(one.code).toBe(MlInputErrorCode.SINGLE_CLASS);
    expect(one.message).toContain(`column "${iris.targetName}" has one class ("setosa"); a classifier needs at least two`);

    for (const hole of [null, '', '  ', Number.NaN]) {
      const missing = await thrown(train(cartSpec, withTarget(iris, irisNames.map((name, i) => (i === 7 ? hole : name)) as (string | null)[])));
      expect(missing.code).toBe(MlInputErrorCode.MISSING_LABEL);
      expect(missing.argument).toBe('data.target');
      expect(missing.message).toContain(`column "${iris.targetName}" row 7 has no label`);
    }

    const mixed = await thrown(
      train(
        cartSpec,
        withTarget(
          iris,
          irisNames.map((name, i) => (i === 3 ? 1 : name)),
        ),
      ),
    );
    expect(mixed.code).toBe(MlInputErrorCode.BAD_LABELS);
    expect(mixed.message).toContain('row 3 is a number label but row 0 is a string');

    for (const [label, problem] of [
      ['a\tb', 'has control characters'],
      ['x'.repeat(257), 'is longer than 256 characters'],
      ['\ud800', 'is not well-formed UTF-16'],
    ]) {
      const unstorable = await thrown(
        train(
          cartSpec,
          withTarget(
            iris,
            irisNames.map((name, i) => (i === 4 ? label : name)),
          ),
        ),
      );
      expect(unstorable.code).toBe(MlInputErrorCode.BAD_LABELS);
      expect(unstorable.message).toContain(`column "${iris.targetName}" row 4: label`);
      expect(unstorable.message).toContain(problem);
    }

    const legacy = await thrown(train(cartSpec, { ...withTarget(iris, irisNames), classLabels: species }));
    expect(legacy.argument).toBe('data.classLabels');

    const regression = loadBuiltinDataset('regression_20k');
    const small = selectRows(
      regression,
      Array.from({ length: 100 }, (_, i) => i),
    );
    const target = Array.from(small.targets, (v, i) => (i === 12 ? 'n/a' : v));
    const bad = await thrown(train({ algorithm: 'nn-regression' }, withTarget(small, target as unknown as ClassLabel[])));
    expect(bad.code).toBe(MlInputErrorCode.BAD_TARGETS);
    expect(bad.code).not.toBe(MlInputErrorCode.NON_FINITE);
    expect(bad.message).toContain(`column "${small.targetName}" row 12 is "n/a"; regression targets must be finite numbers`);
  });

  it('refuses label maps that do not fit the model', async () => {
    const artifact = await (await train({ algorithm: 'cart', seed: 3 }, withTarget(iris, irisNames))).model.save();
    const files = stored(artifact.files);
    const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    const cases: [unknown, string][] = [
      [{ format: 'slipway.labels', version: 1, labels: ['a', 'b'] }, 'names 2 classes but the model has 3'],
      [{ format: 'slipway.labels', version: 1, labels: ['a', 'a', 'b'] }, 'distinct'],
      [{ format: 'slipway.labels', version: 1, labels: ['a', 1, 'b'] }, 'must all be numbers, all strings or all booleans'],
      [{ format: 'slipway.labels', version: 9, labels: species }, 'version 1, got 9'],
    ];
    for (const [map, message] of cases) {
      const error = await thrown(loadModel({ files: { ...files, [LABEL_MAP_FILE]: encode(map) } }));
      expect(error.code).toBe(MlInputErrorCode.BAD_ARTIFACT);
      expect(error.message).toContain(message);
    }
    const regression = await (await train({ algorithm: 'cart', hyperparameters: { criterion: 'squared_error' } }, withTarget(iris, iris.targets))).model.save();
    const onRegression = await thrown(loadModel({ files: { ...stored(regression.files), [LABEL_MAP_FILE]: files[LABEL_MAP_FILE] } }));
    expect(onRegression.message).toContain('a label map belongs to classification models');
  });
});
