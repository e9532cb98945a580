import { Sum, type KernelConfig, type KernelFunc, type SumAttrs, type TensorInfo } from '@tensorflow/tfjs';
import { trainingSimd } from './training-simd';
import { WASM, type WasmBackendLike } from './wasm-backend-like';

let shippedSum: KernelFunc | undefined;

/** The reduced axes, normalised (non-negative, sorted, unique). */
function reducedAxes(axis: number | number[], rank: number): number[] {
  const list = Array.isArray(axis) ? axis : [axis];
  return [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
}

/**
 * Sum that handles a bias gradient — float32, every axis but the last reduced ([N, H, W, C] → [C]) — as one
 * pass of column sums in the SIMD kernel of training-simd.wat. The shipped kernel first transposes the
 * reduced axes innermost (a full copy of dy, the larger part of its ~17 ms per step on the benchmark CNN).
 * Same arithmetic as the shipped kernel: float32 sums from 0, rows in order. Other reductions go to it.
 */
export const wasmSumOfColumns: KernelFunc = (args) => {
  const shipped = shippedSum;
  if (!shipped) throw new Error('Sum on wasm: the shipped kernel was not captured before replacement');
  const { x } = args.inputs as { x: TensorInfo };
  const { axis, keepDims } = args.attrs as unknown as SumAttrs;
  const rank = x.shape.length;
  if (x.dtype !== 'float32' || rank < 2) return shipped(args);
  const axes = reducedAxes(axis, rank);
  if (axes.length !== rank - 1 || axes.some((a, i) => a !== i)) return shipped(args);
  const simd = trainingSimd(args.backend);
  if (!simd) return shipped(args);
  const channels = x.shape[rank - 1];
  const rows = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const wasm = args.backend as unknown as WasmBackendLike;
  const out = wasm.makeOutput(keepDims ? [...Array<number>(rank - 1).fill(1), channels] : [channels], 'float32');
  // Views after the allocation: growing the wasm memory detaches earlier ones.
  const xValues = wasm.typedArrayFromHeap(x);
  const outValues = wasm.typedArrayFromHeap(out);
  simd.columnSum(xValues.byteOffset, outValues.byteOffset, rows, channels);
  return out;
};

/** The replacement config, keeping the shipped kernel's setup (it binds the wasm function the shipped kernel calls). */
export function wasmSumConfig(shipped: KernelConfig): KernelConfig {
  shippedSum = shipped.kernelFunc;
  return { kernelName: Sum, backendName: WASM, kernelFunc: wasmSumOfColumns, setupFunc: shipped.setupFunc };
}
