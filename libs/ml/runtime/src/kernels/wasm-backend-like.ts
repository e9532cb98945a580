import { backend_util, getKernel, type Conv2DBackpropFilterAttrs, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';

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

/**
 * The NHWC, dilation-1 convolution a conv2d gradient kernel works back through (x of `xShape` with a filter of
 * `filterShape`), checked against the shape of the `dy` it was given.
 */
export function gradientConv2DInfo(
  kernel: string,
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  conv: Pick<Conv2DBackpropFilterAttrs, 'strides' | 'pad' | 'dimRoundingMode'>,
  dy: TensorInfo,
): backend_util.Conv2DInfo {
  const info = backend_util.computeConv2DInfo(xShape, filterShape, conv.strides, 1, conv.pad, conv.dimRoundingMode, false, 'channelsLast');
  const { batchSize, outHeight, outWidth, outChannels } = info;
  if (dy.shape[1] !== outHeight || dy.shape[2] !== outWidth || dy.shape[3] !== outChannels) {
    throw new Error(
      `${kernel}: dy shape [${dy.shape.join(', ')}] does not match the convolution output [${batchSize}, ${outHeight}, ${outWidth}, ${outChannels}]`,
    );
  }
  return info;
}
