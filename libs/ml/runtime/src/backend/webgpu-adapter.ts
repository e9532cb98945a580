import type { GpuAdapterInfo } from './backend-info';

/** The slice of the `webgpu` npm package (Dawn's Node bindings) this runtime uses. */
export interface WebGpuModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null>;
}

export interface GpuAdapterLike {
  info?: Partial<GpuAdapterInfo> & { isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<Partial<GpuAdapterInfo>>;
}

export function isWebGpuModule(value: unknown): value is WebGpuModule {
  const candidate = value as Partial<WebGpuModule> | null;
  return typeof candidate?.create === 'function' && typeof candidate.globals === 'object' && candidate.globals !== null;
}

export async function readAdapterInfo(adapter: GpuAdapterLike): Promise<GpuAdapterInfo> {
  const raw = adapter.info ?? (adapter.requestAdapterInfo ? await adapter.requestAdapterInfo() : {});
  const info: GpuAdapterInfo = {
    vendor: raw.vendor ?? '',
    architecture: raw.architecture ?? '',
    description: raw.description ?? '',
  };
  if (raw.device) info.device = raw.device;
  return info;
}

const SOFTWARE_ADAPTER = /\b(software|cpu|swiftshader|llvmpipe|lavapipe|softpipe)\b/i;

/**
 * A software rasteriser (lavapipe, SwiftShader, ...) is a correctness harness, far slower than
 * wasm for training, so only a hardware adapter makes the webgpu route worth taking.
 */
export function isSoftwareAdapter(adapter: GpuAdapterLike, info: GpuAdapterInfo): boolean {
  if (adapter.isFallbackAdapter === true || adapter.info?.isFallbackAdapter === true) return true;
  return SOFTWARE_ADAPTER.test([info.vendor, info.architecture, info.description, info.device ?? ''].join(' '));
}

export function describeAdapter(info: GpuAdapterInfo): string {
  const parts = [info.vendor, info.architecture].filter((part) => part.length > 0).join(' ');
  const detail = info.description || info.device || '';
  return `gpu (webgpu${parts ? `: ${parts}` : ''}${detail ? `, ${detail}` : ''})`;
}

/**
 * Exposes Dawn's GPU object the way tfjs-backend-webgpu looks for it (`navigator.gpu` plus the
 * GPU* constants as globals). Node ≥ 21 has its own read-only `navigator`, so gpu is defined on it.
 */
export function installWebGpuGlobals(module: WebGpuModule, gpu: GpuLike): void {
  Object.assign(globalThis, module.globals);
  const globals = globalThis as { navigator?: object };
  if (globals.navigator) {
    Object.defineProperty(globals.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  } else {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  }
}
