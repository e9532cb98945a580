import type { DecisionTreeFitState } from './decision-tree';
import { LEAF } from './tree-structure';

/** Human/tool-readable nested form of a fitted tree (the artifact keeps the compact flat arrays). */
export type TreeNodeJson =
  | {
      kind: 'split';
      feature: number;
      featureName: string;
      threshold: number;
      impurity: number;
      nSamples: number;
      left: TreeNodeJson;
      right: TreeNodeJson;
    }
  | {
      kind: 'leaf';
      impurity: number;
      nSamples: number;
      /** Class counts (classifier) or [mean target] (regressor). */
      value: number[];
      /** Predicted class or value. */
      prediction: number;
    };

export function treeToJson(state: DecisionTreeFitState): TreeNodeJson {
  const { tree, featureNames, task } = state;
  const width = tree.nOutputs;
  const visit = (node: number): TreeNodeJson => {
    const f = tree.feature[node];
    if (f === LEAF) {
      const value = Array.from(tree.value.subarray(node * width, (node + 1) * width));
      return {
        kind: 'leaf',
        impurity: tree.impurity[node],
        nSamples: tree.nSamples[node],
        value,
        prediction: task === 'classification' ? argmax(value) : value[0],
      };
    }
    return {
      kind: 'split',
      feature: f,
      featureName: featureNames[f],
      threshold: tree.threshold[node],
      impurity: tree.impurity[node],
      nSamples: tree.nSamples[node],
      left: visit(tree.left[node]),
      right: visit(tree.right[node]),
    };
  };
  return visit(0);
}

export interface RulesTextOptions {
  /** Decimals for thresholds and regression values (scikit-learn's export_text default: 2). */
  decimals?: number;
  /** Class names for leaves; defaults to the class id. */
  classNames?: string[];
}

/** The tree as indented if/else rules, in the layout of scikit-learn's `export_text`. */
export function treeToRulesText(state: DecisionTreeFitState, options: RulesTextOptions = {}): string {
  const { tree, featureNames, task } = state;
  const decimals = options.decimals ?? 2;
  const width = tree.nOutputs;
  const lines: string[] = [];
  const visit = (node: number, depth: number): void => {
    const indent = '|   '.repeat(depth) + '|--- ';
    const f = tree.feature[node];
    if (f === LEAF) {
      const value = Array.from(tree.value.subarray(node * width, (node + 1) * width));
      if (task === 'classification') {
        const c = argmax(value);
        lines.push(`${indent}class: ${options.classNames?.[c] ?? c}`);
      } else {
        lines.push(`${indent}value: [${value[0].toFixed(decimals)}]`);
      }
      return;
    }
    const t = tree.threshold[node].toFixed(decimals);
    lines.push(`${indent}${featureNames[f]} <= ${t}`);
    visit(tree.left[node], depth + 1);
    lines.push(`${indent}${featureNames[f]} >  ${t}`);
    visit(tree.right[node], depth + 1);
  };
  visit(0, 0);
  return lines.join('\n') + '\n';
}

function argmax(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
