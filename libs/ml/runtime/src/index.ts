export * from './backend/backend-info';
export * from './backend/backend.errors';
export { BackendSelector, type BackendSelectorDeps } from './backend/backend-selector';
export * from './backend/select-backend';
export type { ModuleLoader } from './backend/module-loader';
export {
  registerWasmTrainingKernels,
  wasmConv2DBackpropFilter,
  wasmConv2DBackpropFilterConfig,
} from './kernels/wasm-conv2d-backprop-filter';
