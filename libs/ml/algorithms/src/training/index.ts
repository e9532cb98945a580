export * from './training-types';
export { train, parseTrainingSpec, trainingTaskOf } from './train';
export { loadModel, type ArtifactFileSet } from './trained-models';
export { encodeClassLabels, LABEL_MAP_FILE, type ClassLabel, type EncodedLabels } from './label-map';
