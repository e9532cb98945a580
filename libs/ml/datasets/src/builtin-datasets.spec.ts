import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadBuiltinDataset, loadBuiltinSplit, selectRows } from './builtin-datasets';

describe('builtin datasets', () => {
  it('ship the files whose checksums the shared datasets README lists', () => {
    const sha = (file: string) =>
      createHash('sha256')
        .update(readFileSync(join(__dirname, '..', 'data', file)))
        .digest('hex');
    expect(sha('iris.csv')).toBe('87f0ef5229d3c2825151152009663887281a6e3e164d35161efdbdfb69951049');
    expect(sha('digits.csv')).toBe('4faf08295f17d77e9a147ed5ea842ec501bd089cc6e61627f36ef15c1b48ea5b');
  });

  it('parse into typed arrays with the target as last column', () => {
    const iris = loadBuiltinDataset('iris');
    expect([iris.nRows, iris.nFeatures, iris.nClasses, iris.task]).toEqual([150, 4, 3, 'classification']);
    expect(Array.from(iris.features.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2]);
    const regression = loadBuiltinDataset('regression_20k');
    expect([regression.nRows, regression.nFeatures, regression.task]).toEqual([20000, 8, 'regression']);
  });

  it('select the fixed split rows', () => {
    const digits = loadBuiltinDataset('digits');
    const split = loadBuiltinSplit('digits');
    expect(split.train.length + split.test.length).toBe(1797);
    const test = selectRows(digits, split.test);
    expect(test.nRows).toBe(split.test.length);
    expect(test.targets[0]).toBe(digits.targets[split.test[0]]);
  });
});
