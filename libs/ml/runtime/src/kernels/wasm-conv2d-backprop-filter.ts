import { Conv2DBackpropFilter, type Conv2DBackpropFilterAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { trainingSimd, windowGeometry, type WindowGeometry } from './training-simd';
import { assertFloat32, assertNhwc, gradientConv2DInfo, wasmBatchMatMul, WASM, type WasmBackendLike } from './wasm-backend-like';

/**
 * Conv2DBackpropFilter for the wasm backend, which ships without it (tfjs 4.22), so a CNN cannot
 * train there. dW = patchColumns(x) · dy: the im2col copy is written straight into the wasm heap (by the
 * SIMD kernel in training-simd.wat, or the JavaScript loop below where that is unavailable), the product by
 * the backend's own BatchMatMul kernel (XNNPACK / SIMD). NHWC only, dilation 1 —
 * the only case tfjs's conv2d gradient asks for.
 */
export const wasmConv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  assertNhwc('Conv2DBackpropFilter', dataFormat);
  assertFloat32('Conv2DBackpropFilter', x, dy);
  const info = gradientConv2DInfo('Conv2DBackpropFilter', x.shape as [number, number, number, number], filterShape, { strides, pad, dimRoundingMode }, dy);
  const { batchSize, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;

  const wasm = backend as unknown as WasmBackendLike;
  const kernelSize = filterHeight * filterWidth * inChannels;
  const positions = batchSize * outHeight * outWidth;

  // Allocate before taking heap views: an allocation may grow (and detach) the wasm memory.
  const patches = wasm.makeOutput([1, kernelSize, positions], 'float32');
  const patchValues = wasm.typedArrayFromHeap(patches);
  const xValues = wasm.typedArrayFromHeap(x);
  const geometry = windowGeometry(info);
  const simd = trainingSimd(backend);
  if (simd) simd.im2col(xValues.byteOffset, patchValues.byteOffset, geometry);
  else fillPatchColumns(xValues, patchValues, geometry);

  const dy3d: TensorInfo = { dataId: dy.dataId, shape: [1, positions, outChannels], dtype: 'float32' };
  const product = wasmBatchMatMul(backend, patches, dy3d);
  wasm.disposeData(patches.dataId);
  return { dataId: product.dataId, shape: [...filterShape], dtype: 'float32' };
};

/**
 * im2col in the column layout: row k = (ky, kx, c) of the NHWC filter, column p = output position
 * (n, oy, ox). Writes are sequential; padding reads as 0. This layout lets BatchMatMul run without
 * transposes, its fast (XNNPACK) path — ~15× faster than asking it to transpose.
 */
function fillPatchColumns(x: Float32Array, out: Float32Array, g: WindowGeometry): void {
  const positions = g.batchSize * g.outHeight * g.outWidth;
  const xRowStride = g.inWidth * g.channels;
  const xImageStride = g.inHeight * xRowStride;
  const xStepX = g.strideWidth * g.channels;
  let k = 0;
  for (let ky = 0; ky < g.filterHeight; ky++) {
    for (let kx = 0; kx < g.filterWidth; kx++) {
      // Output columns whose input column ox*sw - padLeft + kx lies inside the image.
      const oxStart = Math.max(0, Math.ceil((g.padLeft - kx) / g.strideWidth));
      const oxEnd = Math.min(g.outWidth, Math.floor((g.inWidth - 1 + g.padLeft - kx) / g.strideWidth) + 1);
      for (let c = 0; c < g.channels; c++, k++) {
        let o = k * positions;
        for (let n = 0; n < g.batchSize; n++) {
          const imageBase = n * xImageStride + c;
          for (let oy = 0; oy < g.outHeight; oy++) {
            const iy = oy * g.strideHeight - g.padTop + ky;
            if (iy < 0 || iy >= g.inHeight || oxStart >= oxEnd) {
              out.fill(0, o, o + g.outWidth);
              o += g.outWidth;
              continue;
            }
            for (let ox = 0; ox < oxStart; ox++) out[o++] = 0;
            let src = imageBase + iy * xRowStride + (oxStart * g.strideWidth - g.padLeft + kx) * g.channels;
            for (let ox = oxStart; ox < oxEnd; ox++, src += xStepX) out[o++] = x[src];
            for (let ox = oxEnd; ox < g.outWidth; ox++) out[o++] = 0;
          }
        }
      }
    }
  }
}

export const wasmConv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: WASM,
  kernelFunc: wasmConv2DBackpropFilter,
};
