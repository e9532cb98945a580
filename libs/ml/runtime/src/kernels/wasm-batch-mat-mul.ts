import { BatchMatMul, getKernel, type BatchMatMulAttrs, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';
import { WASM, type WasmBackendLike } from './wasm-backend-like';

let shippedBatchMatMul: KernelFunc | undefined;

function transposeLastTwo(backend: unknown, x: TensorInfo): TensorInfo {
  const transpose = getKernel('Transpose', WASM);
  if (!transpose) throw new Error('the wasm backend has no Transpose kernel');
  const rank = x.shape.length;
  const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
  return transpose.kernelFunc({ inputs: { x }, backend: backend as never, attrs: { perm } as unknown as NamedAttrMap }) as TensorInfo;
}

/**
 * BatchMatMul that never hands the wasm backend a transposed operand: its transposed paths are a
 * plain loop (~15× slower than the XNNPACK path), and a dense layer's backward pass asks for
 * both (xᵀ·dy and dy·Wᵀ). Transposing explicitly first costs one copy of the operand.
 */
export const wasmBatchMatMulWithoutTransposes: KernelFunc = (args) => {
  const shipped = shippedBatchMatMul;
  if (!shipped) throw new Error('BatchMatMul on wasm: the shipped kernel was not captured before replacement');
  const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
  if (!transposeA && !transposeB) return shipped(args);
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const wasm = args.backend as unknown as WasmBackendLike;
  const temporaries: TensorInfo[] = [];
  const plainA = transposeA ? transposeLastTwo(args.backend, a) : a;
  if (transposeA) temporaries.push(plainA);
  const plainB = transposeB ? transposeLastTwo(args.backend, b) : b;
  if (transposeB) temporaries.push(plainB);
  try {
    return shipped({
      ...args,
      inputs: { a: plainA, b: plainB },
      attrs: { ...args.attrs, transposeA: false, transposeB: false } as unknown as NamedAttrMap,
    });
  } finally {
    for (const t of temporaries) wasm.disposeData(t.dataId);
  }
};

/** The replacement config, keeping the shipped kernel's setup (it binds the wasm function the shipped kernel calls). */
export function wasmBatchMatMulConfig(shipped: KernelConfig): KernelConfig {
  shippedBatchMatMul = shipped.kernelFunc;
  return { kernelName: BatchMatMul, backendName: WASM, kernelFunc: wasmBatchMatMulWithoutTransposes, setupFunc: shipped.setupFunc };
}
