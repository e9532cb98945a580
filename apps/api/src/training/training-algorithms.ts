import { Injectable } from '@nestjs/common';
import { HYPERPARAMETER_SCHEMAS, TRAINING_ALGORITHMS, type TrainingAlgorithm, type TrainingAlgorithmList, type TrainingTask } from '@slipway/contracts';
import type { DatasetEntity } from '@slipway/db';
import { z } from 'zod';

type AlgorithmInfo = TrainingAlgorithmList['algorithms'][number];

const DESCRIPTIONS: Record<
  TrainingAlgorithm,
  { title: string; description: string; tasks: TrainingTask[]; datasetKind: 'tabular' | 'images'; targetRequired: boolean }
> = {
  kmeans: {
    title: 'K-means',
    description: 'Clusters rows into k groups (k-means++ seeding, Lloyd iterations). A target, when given, is only used to score the clusters (ARI).',
    tasks: ['clustering'],
    datasetKind: 'tabular',
    targetRequired: false,
  },
  cart: {
    title: 'Decision tree (CART)',
    description: 'A classification tree (gini or entropy) or a regression tree (squared_error), as scikit-learn’s DecisionTree*.',
    tasks: ['classification', 'regression'],
    datasetKind: 'tabular',
    targetRequired: true,
  },
  'nn-regression': {
    title: 'Neural network regression',
    description: 'A dense network (TensorFlow.js) predicting a numeric target, with validation split and early stopping.',
    tasks: ['regression'],
    datasetKind: 'tabular',
    targetRequired: true,
  },
  cnn: {
    title: 'Convolutional network',
    description: 'A three-convolution image classifier (TensorFlow.js) for image datasets (a zip of class folders).',
    tasks: ['classification'],
    datasetKind: 'images',
    targetRequired: false,
  },
};

/**
 * What each algorithm takes: its hyper-parameters as JSON Schema (the input side, so defaults and bounds show)
 * and their defaults. Built once from the contracts, so the console form, the CLI and the API's own
 * validation cannot disagree.
 */
@Injectable()
export class TrainingAlgorithmCatalogue {
  private readonly infos: AlgorithmInfo[] = TRAINING_ALGORITHMS.map((algorithm) => {
    const schema = HYPERPARAMETER_SCHEMAS[algorithm];
    const jsonSchema = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete jsonSchema['$schema'];
    return { algorithm, ...DESCRIPTIONS[algorithm], hyperparameters: jsonSchema, defaults: schema.parse({}) as Record<string, unknown> };
  });

  list(): TrainingAlgorithmList {
    return { algorithms: this.infos };
  }

  get(algorithm: TrainingAlgorithm): AlgorithmInfo {
    const info = this.infos.find((i) => i.algorithm === algorithm);
    if (!info) throw new Error(`unknown algorithm ${algorithm}`);
    return info;
  }
}

/** Image datasets (a zip of class folders) feed the CNN; every other dataset is a table. */
export function datasetKindOf(dataset: DatasetEntity): 'tabular' | 'images' {
  const format = (dataset.profile as { format?: unknown } | null)?.format;
  return format === 'images' ? 'images' : 'tabular';
}
