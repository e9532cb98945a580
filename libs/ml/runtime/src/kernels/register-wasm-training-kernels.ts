import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs';
import { wasmBatchMatMulConfig, wasmBatchMatMulWithoutTransposes } from './wasm-batch-mat-mul';
import { wasmConv2DBackpropFilterConfig } from './wasm-conv2d-backprop-filter';
import { wasmConv2DBackpropInputConfig } from './wasm-conv2d-backprop-input';
import { wasmMaxPoolGradConfig } from './wasm-max-pool-grad';
import { wasmSumConfig, wasmSumOfColumns } from './wasm-sum';

/** Kernels tfjs-backend-wasm 4.22 lacks: without them a CNN cannot train on wasm at all. */
const MISSING_KERNELS: readonly KernelConfig[] = [wasmConv2DBackpropFilterConfig];
/**
 * Kernels it ships as direct loops that dominate a CNN's training step; these versions are several
 * times faster. BatchMatMul and Sum are wrapped too (see wasm-batch-mat-mul.ts, wasm-sum.ts).
 */
const FASTER_KERNELS: readonly KernelConfig[] = [wasmConv2DBackpropInputConfig, wasmMaxPoolGradConfig];

export interface RegisterWasmKernelOptions {
  /** Also replace the shipped slow training kernels (default true). */
  replaceSlowKernels?: boolean;
}

/**
 * Registers the wasm kernels a CNN's training needs. Idempotent: returns the kernel names it
 * (re)registered this call. A missing kernel that a later tfjs release ships is left alone.
 */
export function registerWasmTrainingKernels(options: RegisterWasmKernelOptions = {}): string[] {
  const registered: string[] = [];
  for (const config of MISSING_KERNELS) {
    if (getKernel(config.kernelName, config.backendName)) continue;
    registerKernel(config);
    registered.push(config.kernelName);
  }
  if (options.replaceSlowKernels === false) return registered;
  for (const config of FASTER_KERNELS) {
    const current = getKernel(config.kernelName, config.backendName);
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current) unregisterKernel(config.kernelName, config.backendName);
    registerKernel(config);
    registered.push(config.kernelName);
  }
  // A wrapper delegates part of its work to the shipped kernel, so it keeps that kernel's setup function.
  const wrappers: Array<[string, KernelFunc, (shipped: KernelConfig) => KernelConfig]> = [
    ['BatchMatMul', wasmBatchMatMulWithoutTransposes, wasmBatchMatMulConfig],
    ['Sum', wasmSumOfColumns, wasmSumConfig],
  ];
  for (const [kernelName, wrapper, wrap] of wrappers) {
    const shipped = getKernel(kernelName, 'wasm');
    if (!shipped || shipped.kernelFunc === wrapper) continue;
    unregisterKernel(kernelName, 'wasm');
    registerKernel(wrap(shipped));
    registered.push(kernelName);
  }
  return registered;
}
