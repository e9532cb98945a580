import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuiltinDatasetName } from '@slipway/ml-datasets';

/** Written by tools/golden/make-golden.py (scikit-learn 1.2.1). */
export interface AlgorithmsGolden {
  _sklearn: string;
  kmeans: {
    dataset: BuiltinDatasetName;
    k: number;
    initCenters: number[][];
    inertia: number;
    nIter: number;
    centers: number[][];
    clusterSizes: number[];
  }[];
  tree: {
    dataset: BuiltinDatasetName;
    criterion: 'gini' | 'entropy';
    testAccuracy: number;
    trainAccuracy: number;
    testPredictions: number[];
    featureImportances: number[];
    nodeCount: number;
    depth: number;
  }[];
}

export const golden: AlgorithmsGolden = JSON.parse(readFileSync(join(__dirname, 'sklearn-golden.json'), 'utf8'));
