import {
  backend_util,
  Conv2DBackpropInput,
  getKernel,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { assertFloat32, assertNhwc, gradientConv2DInfo, wasmBatchMatMul, WASM, type WasmBackendLike } from './wasm-backend-like';

/**
 * Conv2DBackpropInput for wasm, replacing the shipped one (a direct loop, ~10× slower than this on
 * a CNN's second convolution). At stride 1 it is a forward convolution of dy with the flipped,
 * in/out-swapped filter (the backend's XNNPACK Conv2D); otherwise dx = col2im(dy · Wᵀ), the
 * product on the backend's BatchMatMul and the scatter-add back onto the image in JS.
 * NHWC, dilation 1, any stride/padding.
 */
export const wasmConv2DBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
  assertNhwc('Conv2DBackpropInput', dataFormat);
  assertFloat32('Conv2DBackpropInput', dy, filter);
  const info = gradientConv2DInfo('Conv2DBackpropInput', inputShape, filter.shape as [number, number, number, number], { strides, pad, dimRoundingMode }, dy);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const wasm = backend as unknown as WasmBackendLike;
  if (info.strideHeight === 1 && info.strideWidth === 1) {
    const viaConvolution = backpropInputByConvolution(wasm, backend, dy, filter, info);
    if (viaConvolution) return viaConvolution;
  }
  const kernelSize = filterHeight * filterWidth * inChannels;
  const positions = batchSize * outHeight * outWidth;

  // Wᵀ [outChannels, kernelSize], so the product needs no transposed operand (BatchMatMul's fast path).
  const filterT = wasm.makeOutput([1, outChannels, kernelSize], 'float32');
  {
    const w = wasm.typedArrayFromHeap(filter);
    const wt = wasm.typedArrayFromHeap(filterT);
    for (let k = 0; k < kernelSize; k++) {
      for (let o = 0; o < outChannels; o++) wt[o * kernelSize + k] = w[k * outChannels + o];
    }
  }
  const dy3d: TensorInfo = { dataId: dy.dataId, shape: [1, positions, outChannels], dtype: 'float32' };
  const patchGrads = wasmBatchMatMul(backend, dy3d, filterT);
  wasm.disposeData(filterT.dataId);

  const dx = wasm.makeOutput([...inputShape], 'float32');
  // Views after the last allocation: growing the wasm memory detaches earlier ones.
  const out = wasm.typedArrayFromHeap(dx);
  const grads = wasm.typedArrayFromHeap(patchGrads);
  out.fill(0);
  const rowLength = filterWidth * inChannels;
  const xRowStride = inWidth * inChannels;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  let g = 0;
  for (let n = 0; n < batchSize; n++) {
    const imageBase = n * inHeight * xRowStride;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * info.strideHeight - padTop;
      for (let ox = 0; ox < outWidth; ox++, g += kernelSize) {
        const x0 = ox * info.strideWidth - padLeft;
        const kxStart = Math.max(0, -x0);
        const kxEnd = Math.min(filterWidth, inWidth - x0);
        if (kxStart >= kxEnd) continue;
        const span = (kxEnd - kxStart) * inChannels;
        for (let ky = 0; ky < filterHeight; ky++) {
          const iy = y0 + ky;
          if (iy < 0 || iy >= inHeight) continue;
          const src = g + ky * rowLength + kxStart * inChannels;
          const dst = imageBase + iy * xRowStride + (x0 + kxStart) * inChannels;
          for (let i = 0; i < span; i++) out[dst + i] += grads[src + i];
        }
      }
    }
  }
  wasm.disposeData(patchGrads.dataId);
  return dx;
};

/**
 * Stride 1: dx = conv(dy, W′) with W′[ky, kx, o, c] = W[kh−1−ky, kw−1−kx, c, o] and the padding
 * mirrored (kh−1−top above, kh−1−bottom below). Returns null when that padding would be negative
 * (explicit padding wider than the filter), which the col2im path handles.
 */
function backpropInputByConvolution(
  wasm: WasmBackendLike,
  backend: unknown,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | null {
  const { filterHeight: kh, filterWidth: kw, inChannels, outChannels, padInfo, inHeight, inWidth, outHeight, outWidth } = info;
  const top = kh - 1 - padInfo.top;
  const left = kw - 1 - padInfo.left;
  const bottom = inHeight - (outHeight + top - kh + 1);
  const right = inWidth - (outWidth + left - kw + 1);
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return null;
  const conv2d = getKernel('Conv2D', WASM);
  if (!conv2d) return null;
  const flipped = wasm.makeOutput([kh, kw, outChannels, inChannels], 'float32');
  const w = wasm.typedArrayFromHeap(filter);
  const wf = wasm.typedArrayFromHeap(flipped);
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      const src = ((kh - 1 - ky) * kw + (kw - 1 - kx)) * inChannels * outChannels;
      const dst = (ky * kw + kx) * outChannels * inChannels;
      for (let c = 0; c < inChannels; c++) {
        for (let o = 0; o < outChannels; o++) wf[dst + o * inChannels + c] = w[src + c * outChannels + o];
      }
    }
  }
  try {
    return conv2d.kernelFunc({
      inputs: { x: dy, filter: flipped },
      backend: backend as never,
      attrs: {
        strides: 1,
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: 1,
      } as unknown as NamedAttrMap,
    }) as TensorInfo;
  } finally {
    wasm.disposeData(flipped.dataId);
  }
}

export const wasmConv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: WASM,
  kernelFunc: wasmConv2DBackpropInput,
};
