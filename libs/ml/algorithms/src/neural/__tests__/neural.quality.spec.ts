/**
 * Golden quality checks: real training on the wasm backend on the built-in datasets' fixed splits.
 * Each takes ~10 s on a 2-core machine; they run with the project's ordinary test target.
 */
import { loadBuiltinDataset, loadBuiltinSplit, selectRows, type TabularDataset } from '@slipway/ml-datasets';
import { selectBackend } from '@slipway/ml-runtime';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { CnnClassifier } from '../cnn-classifier';
import type { ImageSet } from '../image-set';
import { NnRegressor } from '../nn-regression';

const matrix = (d: TabularDataset) => ({ data: d.features, nRows: d.nRows, nFeatures: d.nFeatures });
const digitImages = (d: TabularDataset): ImageSet => ({ data: d.features, count: d.nRows, height: 8, width: 8, channels: 1 });

describe('neural networks on the built-in datasets (wasm)', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });

  it('NN regression reaches R² ≥ 0.99 on regression_20k (fixed split)', async () => {
    const data = loadBuiltinDataset('regression_20k');
    const split = loadBuiltinSplit('regression_20k');
    const train = selectRows(data, split.train);
    const test = selectRows(data, split.test);
    const model = new NnRegressor({ epochs: 10, batchSize: 64, learningRate: 1e-3, seed: 42 });
    await model.fit(matrix(train), train.targets);
    const { r2 } = model.evaluate(matrix(test), test.targets);
    expect(r2).toBeGreaterThanOrEqual(0.99);
    model.dispose();
  }, 120_000);

  it('CNN reaches ≥ 95% test accuracy on digits 8×8×1 (fixed split), and fp16/uint8 exports keep it', async () => {
    const data = loadBuiltinDataset('digits');
    const split = loadBuiltinSplit('digits');
    const train = selectRows(data, split.train);
    const test = selectRows(data, split.test);
    const model = new CnnClassifier({ filters: [16, 32, 32], denseUnits: 64, dropout: 0.25, epochs: 12, batchSize: 32, learningRate: 2e-3, seed: 42 });
    await model.fit(digitImages(train), train.targets, { classLabels: Array.from({ length: 10 }, (_, i) => String(i)) });
    const { accuracy } = model.evaluate(digitImages(test), test.targets);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);

    const report = await model.quantizationReport(digitImages(test), test.targets);
    const [full, half, bytes] = report;
    expect(full.metric).toBe(accuracy);
    expect(half.sizeRatio).toBeLessThan(0.6);
    expect(bytes.sizeRatio).toBeLessThan(0.35);
    expect(half.metricChange).toBeGreaterThanOrEqual(-0.005);
    expect(bytes.metricChange).toBeGreaterThanOrEqual(-0.02);
    model.dispose();
  }, 120_000);
});
