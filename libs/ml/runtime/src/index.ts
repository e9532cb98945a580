export * from './backend/backend-info';
export * from './backend/backend.errors';
export { BackendSelector, type BackendSelectorDeps } from './backend/backend-selector';
export * from './backend/select-backend';
export type { ModuleLoader } from './backend/module-loader';
export { registerWasmTrainingKernels, type RegisterWasmKernelOptions } from './kernels/register-wasm-training-kernels';
export { wasmConv2DBackpropFilter, wasmConv2DBackpropFilterConfig } from './kernels/wasm-conv2d-backprop-filter';
export { wasmConv2DBackpropInput, wasmConv2DBackpropInputConfig } from './kernels/wasm-conv2d-backprop-input';
export { wasmMaxPoolGrad, wasmMaxPoolGradConfig } from './kernels/wasm-max-pool-grad';
