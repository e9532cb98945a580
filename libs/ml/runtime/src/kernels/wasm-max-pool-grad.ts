import { backend_util, MaxPoolGrad, type KernelConfig, type KernelFunc, type MaxPoolGradAttrs, type TensorInfo } from '@tensorflow/tfjs';
import { trainingSimd, windowGeometry } from './training-simd';
import { assertFloat32, WASM, type WasmBackendLike } from './wasm-backend-like';

/**
 * MaxPoolGrad for wasm, replacing the shipped one (several times slower on a CNN's pooling
 * layers): each window's gradient goes to its first maximum in row-major order, as tfjs's cpu
 * backend does. Non-overlapping windows (stride ≥ filter size, e.g. the usual 2×2/2) with channels a
 * multiple of 4 run in the SIMD kernel of training-simd.wat; everything else in the loop below.
 */
export const wasmMaxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  assertFloat32('MaxPoolGrad', dy, input);
  const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const geometry = windowGeometry(info);
  const { batchSize, inHeight, inWidth, channels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, padTop, padLeft } = geometry;

  const wasm = backend as unknown as WasmBackendLike;
  const result = wasm.makeOutput([...input.shape], 'float32');
  const dx = wasm.typedArrayFromHeap(result);
  const x = wasm.typedArrayFromHeap(input);
  const grads = wasm.typedArrayFromHeap(dy);
  const simd = trainingSimd(backend);
  if (simd && channels % 4 === 0 && strideHeight >= filterHeight && strideWidth >= filterWidth) {
    simd.maxPoolGrad(x.byteOffset, grads.byteOffset, dx.byteOffset, geometry);
    return result;
  }
  dx.fill(0);
  const rowStride = inWidth * channels;
  let o = 0;
  for (let n = 0; n < batchSize; n++) {
    const imageBase = n * inHeight * rowStride;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - padTop;
      const yStart = Math.max(0, y0);
      const yEnd = Math.min(inHeight, y0 + filterHeight);
      for (let ox = 0; ox < outWidth; ox++, o += channels) {
        const x0 = ox * strideWidth - padLeft;
        const xStart = Math.max(0, x0);
        const xEnd = Math.min(inWidth, x0 + filterWidth);
        const windowBase = imageBase + yStart * rowStride + xStart * channels;
        for (let c = 0; c < channels; c++) {
          let best = Number.NEGATIVE_INFINITY;
          let bestAt = -1;
          for (let iy = yStart, row = windowBase + c; iy < yEnd; iy++, row += rowStride) {
            for (let ix = xStart, at = row; ix < xEnd; ix++, at += channels) {
              if (x[at] > best) {
                best = x[at];
                bestAt = at;
              }
            }
          }
          if (bestAt >= 0) dx[bestAt] += grads[o + c];
        }
      }
    }
  }
  return result;
};

export const wasmMaxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: WASM,
  kernelFunc: wasmMaxPoolGrad,
};
