#!/usr/bin/env node
/**
 * Assembles libs/ml/algorithms/src/kmeans/lloyd-simd.wat into lloyd-simd.wasm.ts (see wat-module.mjs).
 *
 *   node tools/wasm/build-lloyd-simd.mjs [--check]
 */
import { buildWatModule } from './wat-module.mjs';

await buildWatModule({
  watPath: 'libs/ml/algorithms/src/kmeans/lloyd-simd.wat',
  exportName: 'LLOYD_SIMD_WASM_BASE64',
  doc: 'The WebAssembly SIMD Lloyd kernel, base64.',
  script: 'tools/wasm/build-lloyd-simd.mjs',
});
