export * from './training-types';
export { train, parseTrainingSpec, trainingTaskOf } from './train';
export { loadModel, type ArtifactFileSet } from './trained-models';
