export * from './decision-tree';
export * from './tree-structure';
export * from './tree-export';
export * from './cart-artifact';
export type { SplitCriterion } from './tree-builder';
