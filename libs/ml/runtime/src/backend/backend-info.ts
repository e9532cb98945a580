/** The routes to a TensorFlow.js backend, in the order automatic selection tries them. */
export const BACKEND_NAMES = ['node-gpu', 'webgpu', 'node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** One route tried during selection, and why it was or was not taken. */
export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  reason: string;
}

/** What a WebGPU adapter says about itself (GPUAdapterInfo). */
export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
  device?: string;
}

/** The backend this process computes on; workers report it in `/health`. */
export interface BackendInfo {
  backend: BackendName;
  /** The backend's name in tfjs's registry (`tf.getBackend()`): tensorflow, webgpu, wasm, cpu. */
  tfBackend: string;
  /** Where the maths runs, in words, e.g. "cpu (wasm simd)". */
  device: string;
  /** The WebGPU adapter, when the webgpu route was taken. */
  adapter?: GpuAdapterInfo;
  /** True when a setting forced the backend rather than automatic selection. */
  forced: boolean;
  tried: BackendAttempt[];
  tfjsVersion: string;
}

/** `auto` (or no setting) tries each route in BACKEND_NAMES order; a name forces that route. */
export type BackendSetting = BackendName | 'auto';

export interface SelectBackendOptions {
  /** e.g. the value of `SLIPWAY_TF_BACKEND`, parsed with `parseBackendSetting`. */
  force?: BackendSetting;
}
