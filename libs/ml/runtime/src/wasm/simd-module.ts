/**
 * Loading a committed WebAssembly SIMD binary (base64 in a .wasm.ts file: no build step at install), shared by
 * the tfjs training kernels here and the k-means kernel of @slipway/ml-algorithms.
 */

/**
 * The slice of the WebAssembly JS API used. Declared locally: the workspace compiles against ES2023 without the
 * DOM lib, whose typings are the only full ones, and the API may be absent (some sandboxes, old runtimes).
 */
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: abstract new (...args: never[]) => object;
}

export function wasmApi(): WasmApi | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  return typeof api === 'object' && api !== null ? api : null;
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The compiled module of one binary, compiled on the first call: null where WebAssembly or its SIMD proposal is
 * unavailable (decided once per process; callers then use their JavaScript loops).
 */
export function simdModuleLoader(base64: string): () => object | null {
  let compiled: object | null | undefined;
  return () => {
    if (compiled === undefined) {
      compiled = null;
      try {
        const api = wasmApi();
        const bytes = decodeBase64(base64);
        // validate() is false where the SIMD proposal is not supported; then JavaScript it is.
        if (api && api.validate(bytes)) compiled = new api.Module(bytes);
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}
