import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from '@jest/globals';
import { BackendErrorCode, BackendSelectionError, BackendSelector, getBackendInfo, parseBackendSetting, selectBackend } from '..';
import type { ModuleLoader } from '..';

function isInstalled(moduleId: string): boolean {
  try {
    createRequire(__filename).resolve(moduleId);
    return true;
  } catch {
    return false;
  }
}

function missing(moduleId: string): never {
  const error = new Error(`Cannot find module '${moduleId}'`) as NodeJS.ErrnoException;
  error.code = 'MODULE_NOT_FOUND';
  throw error;
}

/** A loader with only the named fake modules installed. */
function fakeLoader(modules: Record<string, unknown>): ModuleLoader {
  return (moduleId) => (moduleId in modules ? modules[moduleId] : missing(moduleId));
}

function fakeWebGpu(adapter: unknown) {
  return {
    create: () => ({ requestAdapter: async () => adapter }),
    globals: { GPUBufferUsage: { STORAGE: 128 } },
  };
}

describe('process-wide selectBackend on this machine', () => {
  it('falls through the optional routes, reporting why each was skipped, and selects once', async () => {
    expect(getBackendInfo()).toBeUndefined();
    const [first, concurrent] = await Promise.all([selectBackend(), selectBackend()]);
    expect(concurrent).toBe(first);
    expect(first.forced).toBe(false);
    // Every route before the chosen one failed with a reason; the chosen one is last.
    expect(first.tried.at(-1)).toMatchObject({ backend: first.backend, ok: true });
    expect(first.tried.slice(0, -1).every((attempt) => !attempt.ok && attempt.reason.length > 0)).toBe(true);
    expect(tf.getBackend()).toBe(first.tfBackend);
    expect(getBackendInfo()).toBe(first);
    await expect(selectBackend({ force: first.backend })).resolves.toBe(first);

    // Where the optional bindings are absent (this repository's machines and CI: their install needs
    // a download), the webgpu route finds no hardware adapter and wasm is chosen.
    if (!isInstalled('@tensorflow/tfjs-node-gpu') && !isInstalled('@tensorflow/tfjs-node')) {
      expect(first).toMatchObject({ backend: 'wasm', tfBackend: 'wasm' });
      expect(first.device).toMatch(/^cpu \(wasm/);
      expect(first.tried.map((attempt) => [attempt.backend, attempt.ok])).toEqual([
        ['node-gpu', false],
        ['webgpu', false],
        ['node', false],
        ['wasm', true],
      ]);
      expect(first.tried[0].reason).toBe('@tensorflow/tfjs-node-gpu is not installed');
      expect(first.tried[2].reason).toBe('@tensorflow/tfjs-node is not installed');
      expect(first.tried[1].reason).toMatch(/^(webgpu is not installed|no WebGPU adapter found|only a software WebGPU adapter found)/);
    }
  });

  it('refuses to switch to another forced backend once selected', async () => {
    const other = getBackendInfo()?.backend === 'cpu' ? 'wasm' : 'cpu';
    const error = await selectBackend({ force: other }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendSelectionError);
    expect((error as BackendSelectionError).code).toBe(BackendErrorCode.AlreadySelected);
    expect(tf.getBackend()).toBe(getBackendInfo()?.tfBackend);
  });
});

describe('BackendSelector', () => {
  it('takes the webgpu route on a hardware adapter and reports the adapter', async () => {
    const activated: string[] = [];
    const selector = new BackendSelector({
      loadModule: fakeLoader({
        webgpu: fakeWebGpu({ info: { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA A10' } }),
        '@tensorflow/tfjs-backend-webgpu': {},
      }),
      activate: async (name) => {
        activated.push(name);
        return true;
      },
    });
    const info = await selector.select();
    expect(info).toMatchObject({
      backend: 'webgpu',
      tfBackend: 'webgpu',
      adapter: { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA A10' },
      device: 'gpu (webgpu: nvidia ampere, NVIDIA A10)',
    });
    expect(info.tried.map((attempt) => attempt.backend)).toEqual(['node-gpu', 'webgpu']);
    expect(activated).toEqual(['webgpu']);
    expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBeDefined();
  });

  it.each([
    ['a null adapter', null, /^no WebGPU adapter found/],
    ['a software adapter', { info: { vendor: 'mesa', architecture: 'software', description: 'llvmpipe' } }, /software WebGPU adapter/],
    ['a fallback adapter', { isFallbackAdapter: true, info: { vendor: 'google', architecture: '', description: 'SwiftShader' } }, /software/],
  ])('skips webgpu for %s and falls back', async (_label, adapter, reason) => {
    const selector = new BackendSelector({
      loadModule: fakeLoader({ webgpu: fakeWebGpu(adapter), '@tensorflow/tfjs-backend-wasm': {} }),
      activate: async (name) => name === 'wasm',
    });
    const info = await selector.select();
    expect(info.backend).toBe('wasm');
    expect(info.tried[1]).toMatchObject({ backend: 'webgpu', ok: false });
    expect(info.tried[1].reason).toMatch(reason);
  });

  it('prefers tfjs-node-gpu when it loads and initialises', async () => {
    const selector = new BackendSelector({
      loadModule: fakeLoader({ '@tensorflow/tfjs-node-gpu': {} }),
      activate: async (name) => name === 'tensorflow',
    });
    const info = await selector.select();
    expect(info).toMatchObject({ backend: 'node-gpu', tfBackend: 'tensorflow', tried: [{ backend: 'node-gpu', ok: true }] });
  });

  it('skips a binding that loads but fails to initialise, with the reason', async () => {
    const selector = new BackendSelector({
      loadModule: (moduleId) => {
        if (moduleId === '@tensorflow/tfjs-node-gpu') throw new Error('libcudart.so.11.0: cannot open shared object file');
        if (moduleId === '@tensorflow/tfjs-node') return {};
        return missing(moduleId);
      },
      activate: async () => false,
    });
    const error = await selector.select().catch((e: unknown) => e);
    expect((error as BackendSelectionError).code).toBe(BackendErrorCode.Unavailable);
    expect((error as Error).message).toContain('@tensorflow/tfjs-node-gpu failed to load: libcudart.so.11.0');
    expect((error as Error).message).toContain('node: tfjs backend tensorflow failed to initialise');
  });

  it('forces one backend and fails clearly when it is unavailable, without caching the failure', async () => {
    const selector = new BackendSelector({ loadModule: fakeLoader({}), activate: async () => true });
    await expect(selector.select({ force: 'node' })).rejects.toThrow(
      'forced TensorFlow.js backend node is unavailable (node: @tensorflow/tfjs-node is not installed)',
    );
    expect(selector.current()).toBeUndefined();
    const info = await selector.select({ force: 'cpu' });
    expect(info).toMatchObject({ backend: 'cpu', forced: true, device: 'cpu (pure JavaScript)' });
    expect(info.tried).toEqual([{ backend: 'cpu', ok: true, reason: 'selected tfjs backend cpu' }]);
  });

  it('rejects an unknown forced backend', async () => {
    const selector = new BackendSelector({ loadModule: fakeLoader({}), activate: async () => true });
    await expect(selector.select({ force: 'cuda' as never })).rejects.toMatchObject({ code: BackendErrorCode.InvalidSetting });
  });
});

describe('parseBackendSetting', () => {
  it('reads auto, names and rejects the unknown', () => {
    expect(parseBackendSetting(undefined)).toBe('auto');
    expect(parseBackendSetting('')).toBe('auto');
    expect(parseBackendSetting(' WASM ')).toBe('wasm');
    expect(parseBackendSetting('node-gpu')).toBe('node-gpu');
    expect(() => parseBackendSetting('tpu')).toThrow(/unknown TensorFlow.js backend "tpu": expected auto or one of node-gpu, webgpu, node, wasm, cpu/);
  });
});
