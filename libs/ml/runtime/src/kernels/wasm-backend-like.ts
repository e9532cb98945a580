import { getKernel, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';

/**
 * The parts of tfjs-backend-wasm's `BackendWasm` the kernels here use. Typed structurally so the
 * runtime does not depend on the wasm package's internal module layout.
 */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
}

export const WASM = 'wasm';

/** a · b for rank-3 float32 tensors via the wasm backend's own BatchMatMul (XNNPACK when neither is transposed). */
export function wasmBatchMatMul(backend: unknown, a: TensorInfo, b: TensorInfo): TensorInfo {
  const batchMatMul = getKernel('BatchMatMul', WASM);
  if (!batchMatMul) throw new Error('the wasm backend has no BatchMatMul kernel');
  return batchMatMul.kernelFunc({
    inputs: { a, b },
    backend: backend as never,
    attrs: { transposeA: false, transposeB: false } as unknown as NamedAttrMap,
  }) as TensorInfo;
}

export function assertFloat32(kernel: string, ...infos: TensorInfo[]): void {
  for (const info of infos) {
    if (info.dtype !== 'float32') throw new Error(`${kernel} on wasm supports float32 only, got ${info.dtype}`);
  }
}

export function assertNhwc(kernel: string, dataFormat: string | undefined): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`${kernel} on wasm supports dataFormat NHWC only, got ${dataFormat}`);
  }
}
