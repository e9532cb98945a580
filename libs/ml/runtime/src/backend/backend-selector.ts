import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from '../kernels/register-wasm-training-kernels';
import {
  BACKEND_NAMES,
  type BackendAttempt,
  type BackendInfo,
  type BackendName,
  type BackendSetting,
  type GpuAdapterInfo,
  type SelectBackendOptions,
} from './backend-info';
import { BackendErrorCode, BackendSelectionError, invalidSettingMessage } from './backend.errors';
import { describeLoadFailure, nodeModuleLoader, type ModuleLoader } from './module-loader';
import { describeAdapter, installWebGpuGlobals, isSoftwareAdapter, isWebGpuModule, readAdapterInfo } from './webgpu-adapter';

export interface BackendSelectorDeps {
  /** Loads the optional backend packages; tests pass a fake to simulate installs. */
  loadModule?: ModuleLoader;
  /** Activates a backend registered with tfjs; defaults to `tf.setBackend`. */
  activate?: (tfBackend: string) => Promise<boolean>;
}

/** A route either yields the chosen backend or throws an Error whose message is the reason it was skipped. */
interface RouteResult {
  tfBackend: string;
  device: string;
  adapter?: GpuAdapterInfo;
  reason: string;
}

class RouteSkipped extends Error {}

/**
 * Chooses the TensorFlow.js backend once: CUDA (tfjs-node-gpu) → WebGPU on a hardware adapter →
 * libtensorflow (tfjs-node) → wasm → pure-JS cpu, or exactly the forced one. Production code uses
 * the process-wide `selectBackend`; separate instances exist for tests (they share tfjs's global engine).
 */
export class BackendSelector {
  private readonly loadModule: ModuleLoader;
  private readonly activate: (tfBackend: string) => Promise<boolean>;
  private selection?: Promise<BackendInfo>;
  private selectionSetting?: BackendSetting;
  private selected?: BackendInfo;

  constructor(deps: BackendSelectorDeps = {}) {
    this.loadModule = deps.loadModule ?? nodeModuleLoader;
    this.activate = deps.activate ?? ((name) => tf.setBackend(name));
  }

  /** Idempotent: the first call selects, later calls get the same answer (or an error if they force another backend). */
  select(options: SelectBackendOptions = {}): Promise<BackendInfo> {
    const setting = options.force ?? 'auto';
    if (setting !== 'auto' && !(BACKEND_NAMES as readonly string[]).includes(setting)) {
      return Promise.reject(new BackendSelectionError(BackendErrorCode.InvalidSetting, invalidSettingMessage(setting)));
    }
    if (this.selection) return this.reuse(this.selection, setting);
    this.selectionSetting = setting;
    const selection = this.run(setting).then(
      (info) => {
        this.selected = info;
        return info;
      },
      (error: unknown) => {
        // A failed selection is not cached, so a corrected setting can be tried again.
        this.selection = undefined;
        this.selectionSetting = undefined;
        throw error;
      },
    );
    this.selection = selection;
    return selection;
  }

  /** The selection's result, or undefined before `select` has finished. */
  current(): BackendInfo | undefined {
    return this.selected;
  }

  private async reuse(selection: Promise<BackendInfo>, setting: BackendSetting): Promise<BackendInfo> {
    const info = await selection;
    if (setting !== 'auto' && setting !== info.backend) {
      throw new BackendSelectionError(
        BackendErrorCode.AlreadySelected,
        `TensorFlow.js backend already selected as ${info.backend} (setting ${this.selectionSetting}); ` +
          `it is chosen once per process and cannot be switched to ${setting}`,
      );
    }
    return info;
  }

  private async run(setting: BackendSetting): Promise<BackendInfo> {
    const routes: readonly BackendName[] = setting === 'auto' ? BACKEND_NAMES : [setting];
    const tried: BackendAttempt[] = [];
    for (const backend of routes) {
      try {
        const result = await this.tryRoute(backend);
        tried.push({ backend, ok: true, reason: result.reason });
        const info: BackendInfo = {
          backend,
          tfBackend: result.tfBackend,
          device: result.device,
          forced: setting !== 'auto',
          tried,
          tfjsVersion: tf.version_core,
        };
        if (result.adapter) info.adapter = result.adapter;
        return info;
      } catch (error) {
        tried.push({ backend, ok: false, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    const reasons = tried.map((attempt) => `${attempt.backend}: ${attempt.reason}`).join('; ');
    throw new BackendSelectionError(
      BackendErrorCode.Unavailable,
      setting === 'auto' ? `no TensorFlow.js backend could be loaded (${reasons})` : `forced TensorFlow.js backend ${setting} is unavailable (${reasons})`,
    );
  }

  private tryRoute(backend: BackendName): Promise<RouteResult> {
    switch (backend) {
      case 'node-gpu':
        return this.tryTensorflowBinding('@tensorflow/tfjs-node-gpu', 'cuda gpu (tfjs-node-gpu, libtensorflow)');
      case 'webgpu':
        return this.tryWebGpu();
      case 'node':
        return this.tryTensorflowBinding('@tensorflow/tfjs-node', 'cpu (tfjs-node, libtensorflow)');
      case 'wasm':
        return this.tryWasm();
      case 'cpu':
        return this.tryActivate('cpu', 'cpu (pure JavaScript)');
      default: {
        const unknownBackend: never = backend;
        throw new RouteSkipped(`unknown backend ${String(unknownBackend)}`);
      }
    }
  }

  private load(moduleId: string): unknown {
    try {
      return this.loadModule(moduleId);
    } catch (error) {
      throw new RouteSkipped(describeLoadFailure(moduleId, error));
    }
  }

  private async tryActivate(tfBackend: string, device: string, adapter?: GpuAdapterInfo): Promise<RouteResult> {
    let activated: boolean;
    try {
      activated = await this.activate(tfBackend);
    } catch (error) {
      throw new RouteSkipped(`tfjs backend ${tfBackend} failed to initialise: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!activated) throw new RouteSkipped(`tfjs backend ${tfBackend} failed to initialise`);
    const result: RouteResult = { tfBackend, device, reason: `selected tfjs backend ${tfBackend}` };
    if (adapter) result.adapter = adapter;
    return result;
  }

  /** tfjs-node and tfjs-node-gpu both register the `tensorflow` backend when required. */
  private tryTensorflowBinding(moduleId: string, device: string): Promise<RouteResult> {
    this.load(moduleId);
    return this.tryActivate('tensorflow', device);
  }

  private async tryWebGpu(): Promise<RouteResult> {
    const webgpu = this.load('webgpu');
    if (!isWebGpuModule(webgpu)) throw new RouteSkipped('webgpu module does not export create() and globals');
    const gpu = webgpu.create([]);
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) throw new RouteSkipped('no WebGPU adapter found (no Vulkan/Metal/D3D12 GPU driver)');
    const info = await readAdapterInfo(adapter);
    if (isSoftwareAdapter(adapter, info)) {
      throw new RouteSkipped(`only a software WebGPU adapter found (${describeAdapter(info)}); skipped, wasm is faster`);
    }
    installWebGpuGlobals(webgpu, gpu);
    this.load('@tensorflow/tfjs-backend-webgpu');
    return this.tryActivate('webgpu', describeAdapter(info), info);
  }

  private async tryWasm(): Promise<RouteResult> {
    this.load('@tensorflow/tfjs-backend-wasm');
    registerWasmTrainingKernels();
    const result = await this.tryActivate('wasm', 'cpu (wasm)');
    result.device = await describeWasmDevice();
    return result;
  }
}

async function describeWasmDevice(): Promise<string> {
  const features: string[] = [];
  try {
    if (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) features.push('simd');
    if (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) features.push('threads');
  } catch {
    // Flags exist only once tfjs-backend-wasm is loaded; without them the plain description stands.
  }
  return features.length > 0 ? `cpu (wasm ${features.join(', ')})` : 'cpu (wasm)';
}
